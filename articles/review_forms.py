"""The reviewer's decision form, one for the back office and the outside reviewer's page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import review
from articles.models import MedicalReview


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=[
            ("approve", gettext_lazy("Approve this text for publication")),
            ("changes", gettext_lazy("Ask for changes")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the author"),
        # form-control: full width on the brand's site too (the outside reviewer's page).
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        max_length=4000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change."))
        return data

    def record(self, found: MedicalReview) -> bool:
        """Record the decision on `found`; False (with the reason on the form) when refused."""
        if not self.is_valid():
            return False
        try:
            review.decide(
                found,
                approve=self.cleaned_data["decision"] == "approve",
                comment=self.cleaned_data["comment"],
            )
        except ValidationError as refusal:
            self.add_error(None, refusal)
            return False
        return True
