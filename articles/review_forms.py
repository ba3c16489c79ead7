"""The reviewer's decision form, one for the back office and the outside reviewer's page."""

from typing import cast

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

    def __init__(self, *args, found: MedicalReview | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Comments on the text say what should change as well as this one does.
        self.has_comments = found is not None and found.comments.exists()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        said = (data.get("comment") or "").strip() or self.has_comments
        if data.get("decision") == "changes" and not said:
            self.add_error(
                "comment", _("Say what should change, here or in a comment on the text.")
            )
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


class CommentForm(forms.Form):
    """A reviewer's comment on one part of the text they were sent."""

    block = forms.TypedChoiceField(label=gettext_lazy("Part of the text"), coerce=int)
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=review.COMMENT_LIMIT,
    )

    def __init__(self, *args, found: MedicalReview, **kwargs):
        super().__init__(*args, **kwargs)
        block = cast(forms.TypedChoiceField, self.fields["block"])
        block.choices = [
            (index, _shortened(text)) for index, text in enumerate(review.blocks_sent(found))
        ]
        block.widget.attrs["class"] = "form-select"

    def record(self, found: MedicalReview) -> bool:
        """Record the comment on ``found``; False (with the reason on the form) if refused."""
        if not self.is_valid():
            return False
        try:
            review.comment(found, block=self.cleaned_data["block"], text=self.cleaned_data["text"])
        except ValidationError as refusal:
            self.add_error(None, refusal)
            return False
        return True


def _shortened(text: str) -> str:
    return text if len(text) <= 90 else text[:89].rsplit(" ", 1)[0] + "…"


def handle(request, found: MedicalReview) -> tuple[DecisionForm, CommentForm, str]:
    """The reviewer's page's two forms, bound to what was posted; and what happened:
    "commented", "decided" or ""."""
    posted = request.POST if request.method == "POST" else None
    if posted is not None and posted.get("action") == "comment":
        comment_form = CommentForm(posted, found=found)
        if comment_form.record(found):
            return DecisionForm(found=found), CommentForm(found=found), "commented"
        return DecisionForm(found=found), comment_form, ""
    decision = DecisionForm(posted, found=found)
    done = "decided" if posted is not None and decision.record(found) else ""
    return decision, CommentForm(found=found), done
