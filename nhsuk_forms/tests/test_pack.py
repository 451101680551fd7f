"""The NHS.UK form pack (nhsuk_forms): a form drawn through it has the markup of nhsuk-frontend
10 — error summary, inline errors, hints, fieldsets — wired so that assistive technology can
follow it, and every form is drawn the same way: crispy's filters and tag with the pack."""

from __future__ import annotations

import datetime
import re

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Button, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from nhsuk_forms.fields import DateInputField
from nhsuk_forms.tests.html import Page, classes, described_by, text

CONTROLS = {"input", "select", "textarea"}


class EverythingForm(forms.Form):
    """One field of each kind the pack draws."""

    name = forms.CharField(
        label="Your name",
        help_text="The name you would like us to use",
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "Jo"}),
    )
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    phone = forms.CharField(label="Phone number", required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    children = forms.IntegerField(label="How many children do you have?", required=False)
    about = forms.CharField(label="Tell us about yourself", required=False, widget=forms.Textarea)
    area = forms.ChoiceField(
        label="Where do you live?", choices=[("", "Choose an area"), ("n", "North"), ("s", "South")]
    )
    contact = forms.MultipleChoiceField(
        label="How can we contact you?",
        help_text="Select all that apply",
        choices=[("email", "Email"), ("phone", "Phone"), ("post", "Post")],
        widget=forms.CheckboxSelectMultiple,
    )
    meeting = forms.ChoiceField(
        label="Which meeting would you like to go to?",
        choices=[("online", "Online"), ("in_person", "In person")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="I agree to the respect agreement", help_text="You can read it first")
    date_of_birth = DateInputField(label="Date of birth", help_text="For example, 31 3 1990", autocomplete="bday")
    receipt = forms.FileField(label="Upload your receipt", help_text="A photo or a PDF", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Check the answers below")


BAD_DATA = {
    "name": "",
    "email": "not an email",
    "password": "",
    "phone": "0123",
    "children": "two",
    "area": "",
    "meeting": "",
    "date_of_birth_day": "12",
    "date_of_birth_month": "",
    "date_of_birth_year": "1990",
}


def crispy(form, tag: str = "{% crispy form %}") -> Page:
    html = Template("{% load crispy_forms_tags %}" + tag).render(Context({"form": form}))
    return Page(html)


@pytest.fixture
def bad_form():
    form = EverythingForm(data=BAD_DATA)
    assert not form.is_valid()
    return form


def test_error_summary_links_to_each_field_with_an_error(bad_form):
    page = crispy(bad_form)

    summary = page.one("div", "nhsuk-error-summary")
    assert summary["attrs"]["data-module"] == "nhsuk-error-summary"
    assert text(page.one("h2", "nhsuk-error-summary__heading")) == "There is a problem"
    alert = page.one(role="alert")
    assert summary in alert["parents"]

    links = [a for a in page.all("a") if summary in a["parents"]]
    assert len(links) == sum(len(errors) for errors in bad_form.errors.values())
    for link in links:
        target = page.by_id(link["attrs"]["href"].removeprefix("#"))
        assert target["tag"] in CONTROLS, f"{text(link)!r} links to a {target['tag']}"


def test_error_summary_lists_non_field_errors_and_field_messages_in_field_order(bad_form):
    page = crispy(bad_form)
    summary = page.one("div", "nhsuk-error-summary")
    links = [(a["attrs"]["href"], text(a)) for a in page.all("a") if summary in a["parents"]]

    assert links[0] == ("#id_name", "Check the answers below")
    hrefs = [href for href, _ in links[1:]]
    assert hrefs == [
        "#id_name",
        "#id_email",
        "#id_password",
        "#id_children",
        "#id_area",
        "#id_contact_0",
        "#id_meeting_0",
        "#id_agree",
        "#id_date_of_birth_day",
    ]
    assert ("#id_date_of_birth_day", "Date of birth must include a month") in links


def test_error_summary_links_radios_checkboxes_and_dates_to_their_first_box(bad_form):
    page = crispy(bad_form)
    assert page.by_id("id_meeting_0")["attrs"]["type"] == "radio"
    assert page.by_id("id_contact_0")["attrs"]["type"] == "checkbox"
    assert page.by_id("id_date_of_birth_day")["attrs"]["name"] == "date_of_birth_day"


def test_each_field_with_an_error_shows_its_message_next_to_it(bad_form):
    page = crispy(bad_form)
    for name in ["name", "email", "password", "children", "area"]:
        control = page.by_id(f"id_{name}")
        message = page.by_id(f"id_{name}-error")
        assert message["tag"] == "span" and "nhsuk-error-message" in classes(message)
        hidden = [e for e in page.all("span", "nhsuk-u-visually-hidden") if message in e["parents"]]
        assert [text(e) for e in hidden] == ["Error:"]
        assert text(message).removeprefix("Error: ") == bad_form[name].errors[0]
        assert f"id_{name}-error" in described_by(control)
        assert control["attrs"].get("aria-invalid") == "true"
        group = [p for p in control["parents"] if "nhsuk-form-group" in classes(p)][-1]
        assert "nhsuk-form-group--error" in classes(group)

    assert "nhsuk-input--error" in classes(page.by_id("id_name"))
    assert "nhsuk-select--error" in classes(page.by_id("id_area"))
    assert "nhsuk-input--error" not in classes(page.by_id("id_website"))


def test_hints_come_from_help_text_and_are_wired_by_aria_describedby(bad_form):
    page = crispy(bad_form)

    hint = page.by_id("id_name-hint")
    assert "nhsuk-hint" in classes(hint)
    assert text(hint) == "The name you would like us to use"
    assert described_by(page.by_id("id_name")) == ["id_name-hint", "id_name-error"]

    # A group of choices is described on its fieldset.
    fieldset = [p for p in page.by_id("id_contact_0")["parents"] if p["tag"] == "fieldset"][-1]
    assert described_by(fieldset) == ["id_contact-hint", "id_contact-error"]

    # A lone checkbox's hint sits with the box.
    agree_hint = page.by_id("id_agree-item-hint")
    assert classes(agree_hint) == ["nhsuk-hint", "nhsuk-checkboxes__hint"]
    assert described_by(page.by_id("id_agree")) == ["id_agree-error", "id_agree-item-hint"]

    # Nothing to describe, nothing referenced.
    assert "aria-describedby" not in page.by_id("id_website")["attrs"]


def test_every_aria_describedby_points_at_something_on_the_page(bad_form):
    page = crispy(bad_form)
    ids = {e["attrs"]["id"] for e in page.all() if "id" in e["attrs"]}
    for element in page.all():
        for target in described_by(element):
            assert target in ids, f"{element['tag']}#{element['attrs'].get('id')} is described by missing #{target}"


def test_radios_and_checkboxes_are_in_a_fieldset_with_a_legend(bad_form):
    page = crispy(bad_form)
    for name, kind, legend_text in [
        ("meeting", "radios", "Which meeting would you like to go to?"),
        ("contact", "checkboxes", "How can we contact you?"),
    ]:
        first = page.by_id(f"id_{name}_0")
        fieldset = [p for p in first["parents"] if p["tag"] == "fieldset"][-1]
        assert classes(fieldset) == ["nhsuk-fieldset"]
        legend = [e for e in page.all("legend") if fieldset in e["parents"]]
        assert len(legend) == 1 and text(legend[0]) == legend_text
        assert classes(legend[0]) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
        container = [p for p in first["parents"] if f"nhsuk-{kind}" in classes(p)][-1]
        assert container["attrs"]["data-module"] == f"nhsuk-{kind}"
        options = [e for e in page.all("input") if container in e["parents"]]
        assert len(options) == len(bad_form.fields[name].choices)
        for option in options:
            assert classes(option) == [f"nhsuk-{kind}__input"]
            label = page.one("label", **{"for": option["attrs"]["id"]})
            assert classes(label) == ["nhsuk-label", f"nhsuk-{kind}__label"]


def test_chosen_options_stay_chosen():
    form = EverythingForm(data={**BAD_DATA, "meeting": "in_person", "contact": ["email", "post"]})
    form.is_valid()
    page = crispy(form)
    assert "checked" not in page.by_id("id_meeting_0")["attrs"]
    assert "checked" in page.by_id("id_meeting_1")["attrs"]
    assert ["checked" in page.by_id(f"id_contact_{i}")["attrs"] for i in range(3)] == [True, False, True]


def test_date_input_has_three_labelled_boxes_and_keeps_what_was_typed(bad_form):
    page = crispy(bad_form)
    fieldset = [p for p in page.by_id("id_date_of_birth_day")["parents"] if p["tag"] == "fieldset"][-1]
    assert fieldset["attrs"]["role"] == "group"
    assert described_by(fieldset) == ["id_date_of_birth-hint", "id_date_of_birth-error"]
    wrapper = page.by_id("id_date_of_birth")
    assert classes(wrapper) == ["nhsuk-date-input"]

    boxes = [e for e in page.all("input") if wrapper in e["parents"]]
    assert [b["attrs"]["name"] for b in boxes] == ["date_of_birth_day", "date_of_birth_month", "date_of_birth_year"]
    assert [b["attrs"].get("value") for b in boxes] == ["12", None, "1990"]
    assert [b["attrs"]["autocomplete"] for b in boxes] == ["bday-day", "bday-month", "bday-year"]
    assert all(b["attrs"]["inputmode"] == "numeric" for b in boxes)
    labels = [text(page.one("label", **{"for": b["attrs"]["id"]})) for b in boxes]
    assert labels == ["Day", "Month", "Year"]
    # Only the missing month is marked as wrong.
    assert ["nhsuk-input--error" in classes(b) for b in boxes] == [False, True, False]
    assert "nhsuk-input--width-4" in classes(boxes[2])


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("31", "", "", "Date of birth must include a month and year"),
        ("31", "2", "2020", "Date of birth must be a real date"),
        ("x", "2", "2020", "Date of birth must be a real date"),
        ("1", "2", "20", "Year must include 4 numbers"),
    ],
)
def test_date_field_says_what_is_wrong_in_plain_english(day, month, year, message):
    class DateForm(forms.Form):
        date_of_birth = DateInputField(label="Date of birth")

    form = DateForm(data={"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year})
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


def test_date_field_gives_a_date_and_shows_a_saved_one():
    class DateForm(forms.Form):
        starts_on = DateInputField(label="Start date")

    form = DateForm(data={"starts_on_day": " 7 ", "starts_on_month": "03", "starts_on_year": "2025"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == datetime.date(2025, 3, 7)

    page = crispy(DateForm(initial={"starts_on": datetime.date(2024, 12, 25)}))
    values = [page.by_id(f"id_starts_on_{part}")["attrs"]["value"] for part in ("day", "month", "year")]
    assert values == ["25", "12", "2024"]


def test_file_upload_uses_the_nhsuk_file_upload_component():
    class UploadForm(forms.Form):
        receipt = forms.FileField(label="Upload your receipt", help_text="A photo or a PDF")

    form = UploadForm(data={}, files={})
    form.is_valid()
    page = crispy(form)

    assert page.one("form")["attrs"]["enctype"] == "multipart/form-data"
    upload = page.by_id("id_receipt")
    assert upload["attrs"]["type"] == "file"
    assert classes(upload) == ["nhsuk-file-upload__input"]
    group = [p for p in upload["parents"] if "nhsuk-form-group" in classes(p)][-1]
    assert classes(group) == ["nhsuk-form-group", "nhsuk-form-group--error", "nhsuk-file-upload"]
    assert group["attrs"]["data-module"] == "nhsuk-file-upload"
    assert described_by(upload) == ["id_receipt-hint", "id_receipt-error"]
    # The component's script takes the first input in the group as the file input.
    assert [e for e in page.all("input") if group in e["parents"]][0] is upload


def test_a_saved_file_is_shown_with_a_box_to_remove_it():
    class FileLike:
        name = "receipts/bus.pdf"
        url = "/media/receipts/bus.pdf"

        def __str__(self):
            return self.name

    class UploadForm(forms.Form):
        receipt = forms.FileField(label="Receipt", required=False)

    page = crispy(UploadForm(initial={"receipt": FileLike()}))
    assert page.one("a", href="/media/receipts/bus.pdf")
    remove = page.by_id("receipt-clear_id")
    assert remove["attrs"]["name"] == "receipt-clear"
    assert text(page.one("label", **{"for": "receipt-clear_id"})) == "Remove the current file"
    form = UploadForm(data={"receipt-clear": "on"}, files={}, initial={"receipt": FileLike()})
    assert form.is_valid() and form.cleaned_data["receipt"] is False


def test_a_good_upload_is_accepted():
    class UploadForm(forms.Form):
        receipt = forms.FileField(label="Receipt")

    form = UploadForm(data={}, files={"receipt": SimpleUploadedFile("bus.pdf", b"%PDF-1.4")})
    assert form.is_valid()


def test_inputs_get_the_nhsuk_classes_and_keep_their_autocomplete(bad_form):
    page = crispy(bad_form)
    assert classes(page.by_id("id_website")) == ["nhsuk-input"]
    assert page.by_id("id_phone")["attrs"]["type"] == "tel"
    assert page.by_id("id_children")["attrs"]["type"] == "number"
    assert page.by_id("id_name")["attrs"]["autocomplete"] == "name"
    assert page.by_id("id_email")["attrs"]["autocomplete"] == "email"
    assert page.by_id("id_email")["attrs"]["spellcheck"] == "false"
    assert page.by_id("id_email")["attrs"]["value"] == "not an email"
    assert classes(page.by_id("id_about")) == ["nhsuk-textarea"]
    assert classes(page.by_id("id_area"))[0] == "nhsuk-select"
    # Placeholders are not labels or hints, and the server, not the browser, checks the answers.
    assert "placeholder" not in page.by_id("id_name")["attrs"]
    assert "required" not in page.by_id("id_name")["attrs"]
    assert "novalidate" in page.one("form")["attrs"]


def test_passwords_use_the_password_input_component_and_are_never_sent_back():
    form = EverythingForm(data={**BAD_DATA, "password": "hunter2-secret"})
    form.is_valid()
    page = crispy(form)
    password = page.by_id("id_password")
    assert password["attrs"]["type"] == "password"
    assert "value" not in password["attrs"]
    assert "hunter2-secret" not in page.html
    assert "nhsuk-password-input__input" in classes(password)
    group = [p for p in password["parents"] if "nhsuk-password-input" in classes(p)][-1]
    assert group["attrs"]["data-module"] == "nhsuk-password-input"
    toggle = page.one("button", "nhsuk-password-input__toggle")
    assert toggle["attrs"]["aria-controls"] == "id_password"
    assert toggle["attrs"]["type"] == "button" and "hidden" in toggle["attrs"]


def test_no_id_is_used_twice_and_every_input_has_a_label(bad_form):
    page = crispy(bad_form)
    ids = [e["attrs"]["id"] for e in page.all() if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    labelled = {e["attrs"]["for"] for e in page.all("label")}
    for control in page.all():
        if control["tag"] not in CONTROLS or control["attrs"].get("type") == "hidden":
            continue
        assert control["attrs"]["id"] in labelled, f"#{control['attrs']['id']} has no label"


def test_no_inline_styles_or_scripts(bad_form):
    html = crispy(bad_form).html
    assert "style=" not in html
    assert "<script" not in html
    assert "<style" not in html


def test_the_crispy_filter_draws_the_same_fields_without_a_form_tag(bad_form):
    tag_page = crispy(bad_form)
    filter_page = crispy(bad_form, "{{ form|crispy }}")
    assert filter_page.all("form") == []
    # The page draws the error summary itself, at the top of its main column.
    assert filter_page.all("div", "nhsuk-error-summary") == []
    controls = [(e["tag"], e["attrs"].get("id")) for e in filter_page.all() if e["tag"] in CONTROLS]
    assert controls == [(e["tag"], e["attrs"].get("id")) for e in tag_page.all() if e["tag"] in CONTROLS]


def test_an_unbound_form_has_no_error_summary_or_error_styling():
    page = crispy(EverythingForm())
    assert page.all("div", "nhsuk-error-summary") == []
    assert page.all("span", "nhsuk-error-message") == []
    assert "--error" not in page.html


class LaidOutForm(forms.Form):
    first_name = forms.CharField(label="First name")
    last_name = forms.CharField(label="Last name")
    postcode = forms.CharField(label="Postcode")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "/somewhere/"
        self.helper.layout = Layout(
            HTML('<p class="nhsuk-body">We will only use this to send you expenses.</p>'),
            Fieldset(
                "Your name",
                "first_name",
                Field("last_name", autocomplete="family-name", css_class="nhsuk-u-width-two-thirds"),
            ),
            Div(Field("postcode", autocomplete="postal-code"), css_class="portal-address"),
            Submit("save", "Save and continue"),
            Button("back", "Go back"),
        )


def test_layout_objects_are_drawn_with_nhsuk_markup():
    form = LaidOutForm(data={"first_name": "", "last_name": "Jones", "postcode": ""})
    form.is_valid()
    page = crispy(form)

    form_tag = page.one("form")
    assert form_tag["attrs"]["action"] == "/somewhere/"
    assert form_tag["attrs"]["method"] == "post"
    assert page.one("p", "nhsuk-body")
    # The error summary comes first in the form, before the layout.
    assert page.elements.index(page.one("div", "nhsuk-error-summary")) < page.elements.index(page.one("p"))

    fieldset = page.one("fieldset")
    assert classes(fieldset) == ["nhsuk-fieldset"]
    legend = page.one("legend")
    assert text(legend) == "Your name"
    assert classes(legend) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert fieldset in page.by_id("id_first_name")["parents"]

    last_name = page.by_id("id_last_name")
    assert last_name["attrs"]["autocomplete"] == "family-name"
    assert classes(last_name) == ["nhsuk-input", "nhsuk-u-width-two-thirds"]
    assert page.one("div", "portal-address") in page.by_id("id_postcode")["parents"]
    assert page.by_id("id_postcode")["attrs"]["autocomplete"] == "postal-code"

    submit = page.one("button", type="submit")
    assert classes(submit) == ["nhsuk-button"]
    assert submit["attrs"]["data-module"] == "nhsuk-button"
    assert text(submit) == "Save and continue"
    back = page.one("button", type="button")
    assert classes(back) == ["nhsuk-button", "nhsuk-button--secondary"]
    assert "btn" not in page.html


def test_helper_inputs_are_grouped_as_nhsuk_buttons():
    class SimpleForm(forms.Form):
        name = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = FormHelper()
            self.helper.add_input(Submit("submit", "Send"))
            self.helper.add_input(Submit("draft", "Save as a draft", css_class="nhsuk-button--secondary"))

    page = crispy(SimpleForm())
    group = page.one("div", "nhsuk-button-group")
    buttons = [b for b in page.all("button") if group in b["parents"]]
    assert [classes(b) for b in buttons] == [["nhsuk-button"], ["nhsuk-button", "nhsuk-button--secondary"]]
    assert [b["attrs"]["name"] for b in buttons] == ["submit", "draft"]


def test_a_formset_has_one_error_summary_for_all_its_forms():
    class PersonForm(forms.Form):
        name = forms.CharField(label="Name")

    PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=2)
    formset = PersonFormSet(
        data={"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-name": "", "form-1-name": ""},
    )
    assert not formset.is_valid()
    page = crispy(formset, "{{ form|as_crispy_errors }}{{ form|crispy }}")
    assert len(page.all("div", "nhsuk-error-summary")) == 1
    assert len(crispy(formset).all("div", "nhsuk-error-summary")) == 1
    hrefs = [a["attrs"]["href"] for a in page.all("a")]
    assert hrefs == ["#id_form-0-name", "#id_form-1-name"]
    assert page.by_id("id_form-TOTAL_FORMS")["attrs"]["type"] == "hidden"


def test_help_text_html_is_kept_and_labels_are_escaped():
    class HtmlForm(forms.Form):
        code = forms.CharField(label="Code <b>", help_text='See <a href="/help/">help</a>')

    html = crispy(HtmlForm()).html
    assert '<a href="/help/">help</a>' in html
    assert "Code &lt;b&gt;" in html
    assert re.search(r"<label[^>]*>\s*Code &lt;b&gt;\s*</label>", html)


class ExtrasForm(forms.Form):
    """Radios and checkboxes with the pack's optional field attributes."""

    topics = forms.MultipleChoiceField(
        label="What would you like to help with?",
        choices=[("care", "Care"), ("other", "Something else"), ("none", "Prefer not to say")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics_other = forms.CharField(label="What else?", required=False)
    choice = forms.ChoiceField(
        label="What would you like to do?",
        choices=[("pause", "Take a break"), ("leave", "Leave")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].legend_size = "s"
        self.fields["topics"].divider_before = "none"
        self.fields["topics"].conditionals = {"other": ["topics_other"]}
        self.fields["choice"].option_hints = {"leave": "We will delete your details"}


def test_radios_and_checkboxes_draw_legend_size_option_hints_and_an_exclusive_divider():
    page = crispy(ExtrasForm())

    legends = page.all("legend")
    assert classes(legends[0]) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert classes(legends[1]) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]

    divider = page.one("div", "nhsuk-checkboxes__divider")
    assert text(divider) == "or"
    assert page.by_id("id_topics_2")["attrs"].get("data-behaviour") == "exclusive"
    assert "data-behaviour" not in page.by_id("id_topics_0")["attrs"]

    leave = page.by_id("id_choice_1")
    assert described_by(leave) == ["id_choice_1-item-hint"]
    hint = page.by_id("id_choice_1-item-hint")
    assert classes(hint) == ["nhsuk-hint", "nhsuk-radios__hint"]
    assert text(hint) == "We will delete your details"
    assert "aria-describedby" not in page.by_id("id_choice_0")["attrs"]

    # The revealed field is drawn once, under its checkbox, and not again in its own place.
    conditional = page.by_id("conditional-id_topics_1")
    assert classes(conditional) == ["nhsuk-checkboxes__conditional", "nhsuk-checkboxes__conditional--hidden"]
    assert page.by_id("id_topics_1")["attrs"]["data-aria-controls"] == "conditional-id_topics_1"
    assert conditional in page.by_id("id_topics_other")["parents"]
    assert len(page.all("input", name="topics_other")) == 1


def test_a_ticked_checkbox_shows_what_it_reveals():
    form = ExtrasForm(data={"topics": ["other"], "topics_other": "", "choice": "pause"})
    page = crispy(form, "{{ form|crispy }}")
    assert classes(page.by_id("conditional-id_topics_1")) == ["nhsuk-checkboxes__conditional"]


class FollowUpForm(forms.Form):
    relationship = forms.ChoiceField(
        label="How are you connected to the service?",
        choices=[("mum", "I used it"), ("other", "Another way")],
        widget=forms.RadioSelect,
    )
    relationship_other = forms.CharField(label="In your own words", required=False)
    postcode = forms.CharField(label="Postcode", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].conditionals = {"other": ["relationship_other"]}


def test_a_radio_follow_up_is_drawn_just_after_its_group_not_revealed():
    page = crispy(FollowUpForm(), "{{ form|crispy }}")
    # nhsuk-frontend would mark a revealing radio with aria-expanded, which ARIA does not allow.
    assert not [e for e in page.all("div") if "nhsuk-radios__conditional" in classes(e)]
    assert "data-aria-controls" not in page.by_id("id_relationship_1")["attrs"]
    order = [e["attrs"]["id"] for e in page.all("input")]
    assert order == ["id_relationship_0", "id_relationship_1", "id_relationship_other", "id_postcode"]
    radios_group = [p for p in page.by_id("id_relationship_0")["parents"] if "nhsuk-form-group" in classes(p)][-1]
    assert radios_group not in page.by_id("id_relationship_other")["parents"]


def test_one_field_is_drawn_as_it_is_in_the_whole_form(bad_form):
    whole = crispy(bad_form, "{{ form|crispy }}")
    single = Page(
        Template("{% load crispy_forms_tags %}{{ form.contact|as_crispy_field }}").render(Context({"form": bad_form}))
    )
    group = [p for p in whole.by_id("id_contact_0")["parents"] if "nhsuk-form-group" in classes(p)][-1]
    drawn = [(e["tag"], e["attrs"]) for e in whole.elements if group in e["parents"] or e is group]
    assert [(e["tag"], e["attrs"]) for e in single.elements] == drawn


def test_legends_have_one_size_unless_the_field_says_otherwise(bad_form):
    page = crispy(bad_form)
    legends = page.all("legend")
    assert [text(legend) for legend in legends] == [
        "How can we contact you?",
        "Which meeting would you like to go to?",
        "Date of birth",
    ]
    assert all(classes(legend) == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"] for legend in legends)


def test_a_text_input_can_have_a_prefix_or_a_suffix():
    class CostForm(forms.Form):
        amount = forms.CharField(label="How much did you spend?")
        miles = forms.CharField(label="How many miles?")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["amount"].prefix = "£"
            self.fields["miles"].suffix = "miles"

    page = crispy(CostForm(), "{{ form|crispy }}")
    prefix = page.one("div", "nhsuk-input-wrapper__prefix")
    assert text(prefix) == "£" and prefix["attrs"]["aria-hidden"] == "true"
    assert prefix["parents"][-1] in page.by_id("id_amount")["parents"]
    suffix = page.one("div", "nhsuk-input-wrapper__suffix")
    assert text(suffix) == "miles"
    assert suffix["parents"][-1] in page.by_id("id_miles")["parents"]


def test_the_form_says_where_its_own_errors_link_to():
    class ClaimForm(forms.Form):
        error_summary_href = "#your-costs"
        note = forms.CharField(label="Note", required=False)

        def clean(self):
            raise forms.ValidationError("Add a receipt for the taxi")

    form = ClaimForm(data={})
    form.is_valid()
    page = Page(Template("{% load crispy_forms_tags %}{{ form|as_crispy_errors }}").render(Context({"form": form})))
    assert [(a["attrs"]["href"], text(a)) for a in page.all("a")] == [("#your-costs", "Add a receipt for the taxi")]


def test_no_form_no_error_summary():
    html = Template("{% load crispy_forms_tags %}{{ form|as_crispy_errors }}").render(Context({"form": None}))
    assert "nhsuk-error-summary" not in html
