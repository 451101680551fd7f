"""Forms say when text is too long; the page never cuts it off."""

from django import forms

from nhsuk_forms.limits import NoBrowserLimits, drop_browser_limits, too_long


class NoteForm(NoBrowserLimits, forms.Form):
    note = forms.CharField(max_length=5, error_messages={"max_length": too_long("Your note")})


def test_the_page_carries_no_length_limit():
    assert "maxlength" not in str(NoteForm()["note"])


def test_too_long_text_is_kept_and_the_message_says_the_limit_and_the_length_typed():
    form = NoteForm(data={"note": "seven c"})

    assert not form.is_valid()
    assert form.errors["note"] == ["Your note must be 5 characters or fewer. You have typed 7."]
    assert 'value="seven c"' in str(form["note"])


def test_fields_added_after_init_lose_their_limit_too():
    form = forms.Form()
    form.fields["later"] = forms.CharField(max_length=10)

    drop_browser_limits(form)

    assert "maxlength" not in str(form["later"])
