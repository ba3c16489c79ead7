from django import template

from staff.dashboard import panels_for

register = template.Library()


@register.inclusion_tag("staff/dashboard.html", takes_context=True)
def dashboard(context):
    return {"panels": panels_for(context["request"].user)}
