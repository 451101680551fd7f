"""Length limits the server says, never ones the browser enforces.

A ``maxlength`` in the page cuts pasted text off without a word. So forms keep their
``max_length`` (the server checks it and says what is wrong, keeping everything that was typed)
but the page carries no limit::

    from nhsuk_forms.limits import NoBrowserLimits, too_long

    class NoteForm(NoBrowserLimits, forms.Form):
        note = forms.CharField(max_length=500, error_messages={"max_length": too_long("Your note")})

A form that adds fields after ``__init__`` calls `drop_browser_limits(self)` once it has.
"""

from __future__ import annotations

from django import forms


def too_long(what: str) -> str:
    """The message for text over a field's limit; Django fills in the limit and the length typed."""
    return f"{what} must be %(limit_value)s characters or fewer. You have typed %(show_value)s."


def drop_browser_limits(form: forms.BaseForm) -> None:
    """Takes ``maxlength`` off every field of ``form`` as drawn in the page."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class NoBrowserLimits:
    """Mixin for forms whose fields are all made by the class: no ``maxlength`` in the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        drop_browser_limits(self)
