"""The patient's forms: logging a session (the no-JavaScript path and the player's end), the
next morning's pain, and her reminder choice."""

import uuid
from typing import Any

from django import forms

from exercises.models import ProgramItem, SessionItemLog
from exercises.pain import RedFlag
from exercises.session_log import ItemReport

PAIN_CHOICES = [
    (0, "0 (no pain)"),
    *[(n, str(n)) for n in range(1, 10)],
    (10, "10 (worst pain imaginable)"),
]
RPE_CHOICES = [
    (0, "0 (rest)"),
    *[(n, str(n)) for n in range(1, 5)],
    (5, "5 (hard)"),
    *[(n, str(n)) for n in range(6, 10)],
    (10, "10 (as hard as I can)"),
]
FEEDBACK_CHOICES = [("", "Not said"), *SessionItemLog.Feedback.choices]


class ScaleSelect(forms.RadioSelect):
    """0-10 as a row of large radio buttons (one tap each, no steady hand needed)."""

    template_name = "exercises/widgets/scale.html"


class SessionLogForm(forms.Form):
    """Fields ``item_<id>_done`` and ``item_<id>_feedback`` per exercise, then pain and effort."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    pain_before = forms.TypedChoiceField(
        label="Pain before you started", choices=PAIN_CHOICES, coerce=int, widget=ScaleSelect,
        help_text="0 is no pain, 10 the worst pain you can imagine.",
    )  # fmt: skip
    pain_after = forms.TypedChoiceField(
        label="Pain now, after the exercises", choices=PAIN_CHOICES, coerce=int,
        widget=ScaleSelect,
    )  # fmt: skip
    rpe = forms.TypedChoiceField(
        label="How hard was it? (effort)", choices=RPE_CHOICES, coerce=int, required=False,
        empty_value=None, widget=ScaleSelect,
        help_text="0 is resting, 5 hard, 10 as hard as you could possibly work.",
    )  # fmt: skip
    red_flags = forms.MultipleChoiceField(
        label="Since your last session, have you had any of these?",
        choices=RedFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="If you tick one, we pause your program and your therapist calls you.",
    )
    comment = forms.CharField(
        label="Anything to tell your therapist? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[ProgramItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        for item in items:
            self.fields[f"item_{item.pk}_done"] = forms.BooleanField(
                label=f"I did {item.exercise.name}", required=False, initial=True
            )
            self.fields[f"item_{item.pk}_feedback"] = forms.ChoiceField(
                label=f"How did {item.exercise.name} feel?",
                choices=FEEDBACK_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    def item_rows(self) -> list[dict[str, Any]]:
        """Each exercise with its two bound fields, for the template."""
        return [
            {
                "item": item,
                "done": self[f"item_{item.pk}_done"],
                "feedback": self[f"item_{item.pk}_feedback"],
            }
            for item in self.items
        ]

    def reports(self) -> list[ItemReport]:
        return [
            ItemReport(
                item_id=item.pk,
                done=bool(self.cleaned_data.get(f"item_{item.pk}_done")),
                feedback=self.cleaned_data.get(f"item_{item.pk}_feedback") or "",
            )
            for item in self.items
        ]


class NextMorningForm(forms.Form):
    pain = forms.TypedChoiceField(
        label="Your pain this morning", choices=PAIN_CHOICES, coerce=int, widget=ScaleSelect
    )


class Pain48hForm(forms.Form):
    pain = forms.TypedChoiceField(
        label="Your pain now", choices=PAIN_CHOICES, coerce=int, widget=ScaleSelect
    )
    stage = forms.CharField(widget=forms.HiddenInput, initial="48h")


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label="Email me a reminder on my exercise days", required=False)
    remind_at = forms.TimeField(
        label="At what time?",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone. We send one email a day at most, never after you have "
        "logged that day's session.",
    )
