"""The NHS.UK form pack's template helpers: how every field in the portal is drawn.

Templates draw forms **one way**, with django-crispy-forms and this pack
(``CRISPY_TEMPLATE_PACK = "nhsuk"``, templates in ``nhsuk_forms/templates/nhsuk/``)::

    {% load crispy_forms_tags %}
    {{ form|as_crispy_errors }}          the error summary, at the top of the page's main column
    {{ form|crispy }}                    every field of the form, in order
    {{ form.receipt|as_crispy_field }}   one field, where the page lays out fields itself

(``{% crispy form %}`` with a ``FormHelper`` also works: it draws the whole ``<form>``, with its
own error summary at the top.) The pack's templates stay plain markup copied from nhsuk-frontend;
the decisions (which component a field becomes, its ids, its hint and error wiring, what the
error summary links to) are made here, once, so every form behaves the same.

Ids follow nhsuk-frontend: for a field whose input id is ``id_email`` the hint is
``id_email-hint`` and the error message ``id_email-error``; ``aria-describedby`` lists them.

A form field may carry these attributes (set in the form's ``__init__``):

- ``legend_size``: ``"s"``, ``"m"``, ``"l"`` … the size of the legend of a group of radios,
  checkboxes or date boxes (``nhsuk-fieldset__legend--{size}``). Without it a legend is
  ``LEGEND_SIZE``: sizes come from here and from nowhere else;
- ``option_hints``: ``{value: text}``, a hint under that option (``{option id}-item-hint``,
  which the option's ``aria-describedby`` names);
- ``divider_before``: a value with an "or" divider before it (for checkboxes that option is
  also ``data-behaviour="exclusive"``: ticking it clears the others, like "Prefer not to say");
- ``conditionals``: ``{value: [field names]}``, the fields that follow up an option. Under a
  checkbox they are revealed when it is ticked; after radios they are drawn just below the
  group (nhsuk-frontend marks a radio that reveals a question with ``aria-expanded``, which ARIA
  does not allow on radios). The field that names them draws them, so ``|crispy`` leaves them
  out of the form's own order (a ``FormHelper`` layout should not list them either);
- ``prefix`` / ``suffix``: text before or after a text input ("£", "miles").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from nhsuk_forms.fields import DateInputWidget

register = template.Library()

# Attributes the pack takes off every control: placeholders are not labels or hints, autofocus
# fights the error summary for focus, and the browser's own validation bubbles would appear
# instead of the NHS.UK error summary (forms are validated on the server).
STRIPPED_ATTRS = {"placeholder": False, "autofocus": False, "required": False}

KIND_TEMPLATES = {
    "input": "nhsuk/layout/input.html",
    "password": "nhsuk/layout/password_input.html",
    "textarea": "nhsuk/layout/textarea.html",
    "select": "nhsuk/layout/select.html",
    "checkbox": "nhsuk/layout/checkbox.html",
    "checkboxes": "nhsuk/layout/choices.html",
    "radios": "nhsuk/layout/choices.html",
    "date": "nhsuk/layout/date_input.html",
    "multi": "nhsuk/layout/multi_input.html",
    "file": "nhsuk/layout/file_upload.html",
    "other": "nhsuk/layout/other.html",
}

# The size of every legend (groups of radios, checkboxes and date boxes, and layout fieldsets)
# unless its field says otherwise with ``legend_size``.
LEGEND_SIZE = "m"

BOOTSTRAP_BUTTON_CLASSES = {"btn", "btn-primary", "btn-secondary", "btn-inverse", "btn-default"}


def field_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.widgets.Input):
        return "input"
    return "other"


def base_id(bound_field) -> str:
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id or f"id_{bound_field.html_name}"


def first_input_id(bound_field) -> str:
    """The id of the first thing to type in or choose, which the error summary links to."""
    kind = field_kind(bound_field)
    id_ = base_id(bound_field)
    if kind == "hidden":
        return ""
    if kind in {"radios", "checkboxes"}:
        for subwidget in bound_field.subwidgets:
            return subwidget.data["attrs"].get("id") or id_
        return id_
    if kind == "date":
        return bound_field.field.widget.first_input_id(id_)
    if kind == "multi":
        return f"{id_}_0"
    return id_


def error_summary_items(form_or_formset) -> list[dict]:
    """Each error as ``{"href": "#id" or "", "text": message}``, in the order of the fields.

    A form may set ``error_summary_href`` (``"#your-costs"``) for its non-field errors.
    """
    if isinstance(form_or_formset, BaseFormSet):
        items = [{"href": "", "text": str(e)} for e in form_or_formset.non_form_errors()]
        for form in form_or_formset.forms:
            items.extend(error_summary_items(form))
        return items
    form = form_or_formset
    if not form.is_bound or not form.errors:
        return []
    # The form's own errors link to its first field, or to where the form says they are about.
    visible = form.visible_fields()
    first_href = f"#{first_input_id(visible[0])}" if visible else ""
    href = getattr(form, "error_summary_href", first_href)
    items = [{"href": href, "text": str(e)} for e in form.non_field_errors()]
    for bound_field in form:
        if not bound_field.errors:
            continue
        href = "" if bound_field.is_hidden else f"#{first_input_id(bound_field)}"
        prefix = f"{bound_field.label}: " if bound_field.is_hidden else ""
        items.extend({"href": href, "text": f"{prefix}{e}"} for e in bound_field.errors)
    return items


@dataclass
class FieldContext:
    """Everything a pack template needs to draw one field as an NHS.UK component."""

    field: object
    kind: str
    template: str
    id: str
    first_id: str
    label: str
    label_class: str
    hint: SafeString | str
    hint_id: str
    errors: list[str]
    error_id: str
    describedby: str
    group_class: str
    legend_class: str = ""
    control: SafeString | str = ""
    prefix: str = ""
    suffix: str = ""
    followups: SafeString | str = ""
    options: list[dict] = dc_field(default_factory=list)
    parts: list[dict] = dc_field(default_factory=list)
    current_file: dict | None = None
    clear: dict | None = None


def _classes(*names) -> str:
    return " ".join(n for n in names if n)


def _render_control(bound_field, css_class: str, describedby: str, **extra) -> SafeString:
    """The field's widget with NHS.UK classes and wiring (like ``BoundField.as_widget``, but the
    pack's attributes win over the ``required`` that Django adds)."""
    widget = bound_field.field.widget
    if bound_field.field.localize:
        widget.is_localized = True
    attrs = bound_field.build_widget_attrs({}, widget)
    if "id" not in widget.attrs:
        attrs["id"] = base_id(bound_field)
    attrs.update(STRIPPED_ATTRS)
    if css_class:
        attrs["class"] = _classes(css_class, widget.attrs.get("class", ""))
    attrs["aria-describedby"] = describedby or False
    attrs.update(extra)
    return widget.render(
        name=bound_field.html_name, value=bound_field.value(), attrs=attrs, renderer=bound_field.form.renderer
    )


def _render_file_input(bound_field, describedby: str) -> SafeString:
    """A plain file input, also for ClearableFileInput (whose clear box the template draws)."""
    widget = bound_field.field.widget
    attrs = {**widget.attrs, **STRIPPED_ATTRS, "id": base_id(bound_field)}
    attrs["class"] = _classes("nhsuk-file-upload__input", widget.attrs.get("class", ""))
    attrs["aria-describedby"] = describedby or False
    if bound_field.field.disabled:
        attrs["disabled"] = True
    plain = forms.FileInput(attrs=attrs)
    plain.allow_multiple_selected = getattr(widget, "allow_multiple_selected", False)
    return plain.render(bound_field.html_name, None, renderer=bound_field.form.renderer)


def followed_up_names(form) -> set[str]:
    """The fields another field draws (its ``conditionals``), which are not drawn in their own place."""
    return {
        name
        for field in form.fields.values()
        for names in getattr(field, "conditionals", {}).values()
        for name in names
    }


@register.filter
def nhsuk_fields_in_order(form) -> list:
    """``{% for field in form|nhsuk_fields_in_order %}``: the form's fields, less those drawn by another."""
    skip = followed_up_names(form)
    return [bound_field for bound_field in form if bound_field.name not in skip]


def _draw(bound_field, context) -> str:
    """A field drawn by the pack, as ``{{ field|as_crispy_field }}`` would."""
    return render_to_string(
        "nhsuk/field.html",
        {
            "field": bound_field,
            "form_show_errors": context.get("form_show_errors", True),
            "form_show_labels": context.get("form_show_labels", True),
        },
    )


def _followups(bound_field, context) -> SafeString:
    """The follow-up fields of a group of radios, drawn just after it."""
    form = bound_field.form
    names = [name for names in getattr(bound_field.field, "conditionals", {}).values() for name in names]
    return mark_safe("".join(_draw(form[name], context) for name in names))  # noqa: S308


def _options(bound_field, kind: str, context) -> list[dict]:
    """The options of radios or checkboxes, with their hints, divider and revealed fields."""
    field = bound_field.field
    hints = getattr(field, "option_hints", {})
    divider_before = getattr(field, "divider_before", None)
    # Only checkboxes reveal fields (radios draw them after the group: see the module docstring).
    conditionals = getattr(field, "conditionals", {}) if kind == "checkboxes" else {}
    options = []
    for subwidget in bound_field.subwidgets:
        data = subwidget.data
        value = "" if data["value"] is None else str(data["value"])
        id_ = data["attrs"].get("id", "")
        hint = hints.get(value, "")
        revealed = conditionals.get(value, [])
        options.append(
            {
                "id": id_,
                "name": data["name"],
                "value": value,
                "label": data["label"],
                "checked": bool(data["selected"]),
                "disabled": bool(field.disabled or data["attrs"].get("disabled")),
                "hint": hint,
                "hint_id": f"{id_}-item-hint" if hint else "",
                "divider": value == divider_before and len(options) > 0,
                "exclusive": value == divider_before and kind == "checkboxes",
                "conditional_id": f"conditional-{id_}" if revealed else "",
                "conditional_html": mark_safe(  # noqa: S308
                    "".join(_draw(bound_field.form[name], context) for name in revealed)
                )
                if revealed
                else "",
            }
        )
    return options


@register.filter(name="nhsuk_legend_class")
def legend_class(field_or_layout_object) -> str:
    """``nhsuk-fieldset__legend--{size}`` from the object's ``legend_size``, else ``LEGEND_SIZE``.

    A form field, or a crispy ``Fieldset``/``MultiField`` (``{{ fieldset|nhsuk_legend_class }}``).
    """
    size = getattr(field_or_layout_object, "legend_size", "") or LEGEND_SIZE
    return f"nhsuk-fieldset__legend--{size}"


def _error_parts(bound_field, names: list[str]) -> set[str]:
    parts: set[str] = set()
    for error in bound_field.errors.as_data():
        error_parts = (error.params or {}).get("parts") if hasattr(error, "params") else None
        if not error_parts:
            return set(names)
        parts.update(error_parts)
    return parts


def _parts(bound_field, id_: str, show_errors: bool) -> list[dict]:
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({"id": id_})
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)
    subwidgets = context["widget"]["subwidgets"]
    if isinstance(widget, forms.SplitDateTimeWidget):
        labels = ["Date", "Time"]
    else:
        labels = [sub.get("label") or f"Part {i}" for i, sub in enumerate(subwidgets, start=1)]
    names = [sub.get("part") or str(i) for i, sub in enumerate(subwidgets)]
    errored = _error_parts(bound_field, names) if (show_errors and bound_field.errors) else set()
    parts = []
    for name, label, sub in zip(names, labels, subwidgets, strict=True):
        sub_attrs = sub["attrs"]
        value = sub.get("value")
        parts.append(
            {
                "id": sub_attrs.get("id", ""),
                "name": sub["name"],
                "label": label,
                "value": "" if value is None else str(value),
                "type": sub.get("type") or "text",
                "width": sub.get("width"),
                "autocomplete": sub_attrs.get("autocomplete", ""),
                "inputmode": sub_attrs.get("inputmode", ""),
                "disabled": bool(bound_field.field.disabled or sub_attrs.get("disabled")),
                "error": name in errored,
            }
        )
    return parts


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field) -> FieldContext:
    """``{% nhsuk_field field as f %}``: how to draw ``field``; ``f.template`` is the component.

    Only the pack's own ``nhsuk/field.html`` calls this; templates draw fields with crispy.
    """
    show_errors = context.get("form_show_errors", True) is not False
    show_labels = context.get("form_show_labels", True) is not False
    kind = field_kind(bound_field)
    id_ = base_id(bound_field)
    errors = [str(e) for e in bound_field.errors] if show_errors else []
    # Help text is HTML, as in Django's own form templates.
    hint = mark_safe(str(bound_field.help_text)) if bound_field.help_text else ""  # noqa: S308
    # A lone checkbox's hint sits with the box (nhsuk-checkboxes__hint), after its error.
    hint_suffix = "-item-hint" if kind == "checkbox" else "-hint"
    hint_id = f"{id_}{hint_suffix}" if hint else ""
    error_id = f"{id_}-error" if errors else ""
    describedby = _classes(error_id, hint_id) if kind == "checkbox" else _classes(hint_id, error_id)
    existing = bound_field.field.widget.attrs.get("aria-describedby", "")
    describedby = _classes(existing, describedby)

    group_class = _classes(
        "nhsuk-form-group",
        "nhsuk-form-group--error" if errors else "",
        "nhsuk-file-upload" if kind == "file" else "",
        "nhsuk-password-input" if kind == "password" else "",
        context.get("wrapper_class") or "",
        bound_field.css_classes(),
    )
    ctx = FieldContext(
        field=bound_field,
        kind=kind,
        template=KIND_TEMPLATES.get(kind, KIND_TEMPLATES["other"]),
        id=id_,
        first_id=first_input_id(bound_field),
        label=str(bound_field.label or ""),
        label_class="" if show_labels else "nhsuk-u-visually-hidden",
        hint=hint,
        hint_id=hint_id,
        errors=errors,
        error_id=error_id,
        describedby=describedby,
        group_class=group_class,
    )
    error_class = bool(errors)
    if kind == "input":
        extra = {}
        widget = bound_field.field.widget
        if getattr(widget, "input_type", "") in {"email", "url"} or widget.attrs.get("type") in {"email", "url"}:
            extra["spellcheck"] = "false"
        ctx.control = _render_control(
            bound_field, _classes("nhsuk-input", "nhsuk-input--error" if error_class else ""), describedby, **extra
        )
        # crispy's PrependedText/AppendedText layout objects put theirs in the context.
        ctx.prefix = context.get("crispy_prepended_text") or getattr(bound_field.field, "prefix", "")
        ctx.suffix = context.get("crispy_appended_text") or getattr(bound_field.field, "suffix", "")
    elif kind == "password":
        ctx.control = _render_control(
            bound_field,
            _classes(
                "nhsuk-input",
                "nhsuk-input--error" if error_class else "",
                "nhsuk-password-input__input nhsuk-js-password-input-input",
            ),
            describedby,
            spellcheck="false",
            autocapitalize="none",
        )
    elif kind == "textarea":
        ctx.control = _render_control(
            bound_field, _classes("nhsuk-textarea", "nhsuk-textarea--error" if error_class else ""), describedby
        )
    elif kind == "select":
        ctx.control = _render_control(
            bound_field, _classes("nhsuk-select", "nhsuk-select--error" if error_class else ""), describedby
        )
    elif kind == "checkbox":
        ctx.control = _render_control(bound_field, "nhsuk-checkboxes__input", describedby)
    elif kind in {"radios", "checkboxes"}:
        ctx.options = _options(bound_field, kind, context)
        ctx.legend_class = legend_class(bound_field.field)
        if kind == "radios":
            ctx.followups = _followups(bound_field, context)
    elif kind in {"date", "multi"}:
        ctx.parts = _parts(bound_field, id_, show_errors)
        ctx.legend_class = legend_class(bound_field.field)
    elif kind == "file":
        ctx.control = _render_file_input(bound_field, describedby)
        value = bound_field.value()
        if isinstance(bound_field.field.widget, forms.ClearableFileInput) and value and hasattr(value, "url"):
            ctx.current_file = {"name": str(value), "url": value.url}
            if not bound_field.field.required and not bound_field.field.disabled:
                widget = bound_field.field.widget
                name = widget.clear_checkbox_name(bound_field.html_name)
                ctx.clear = {"name": name, "id": widget.clear_checkbox_id(name)}
    else:
        ctx.control = _render_control(bound_field, "", describedby)
    return ctx


@register.simple_tag
def nhsuk_error_summary_items(form_or_formset) -> list[dict]:
    """``{% nhsuk_error_summary_items form as items %}``: what the error summary lists."""
    if not form_or_formset:
        return []
    return error_summary_items(form_or_formset)


@register.filter
def nhsuk_button_classes(field_classes: str, input_type: str = "submit") -> str:
    """crispy's Submit/Button/Reset classes as NHS.UK button classes (Bootstrap's are dropped)."""
    extra = [c for c in str(field_classes or "").split() if c not in BOOTSTRAP_BUTTON_CLASSES]
    base = ["nhsuk-button"]
    if input_type in {"button", "reset"} and not any(c.startswith("nhsuk-button--") for c in extra):
        base.append("nhsuk-button--secondary")
    return " ".join(base + [c for c in extra if c not in base])


@register.filter(is_safe=True)
def squash(value) -> str:
    """Collapses runs of white space, for text gathered from indented template blocks."""
    return re.sub(r"\s+", " ", str(value)).strip()


def _tags(tags) -> set[str]:
    if not tags:
        return set()
    if isinstance(tags, str):
        tags = tags.split(",")
    return {str(t).strip() for t in tags}


@register.filter
def nhsuk_allauth_button_classes(tags) -> str:
    """NHS.UK button classes for allauth's ``{% element button tags="…" %}``."""
    tags = _tags(tags)
    classes = ["nhsuk-button"]
    if tags & {"danger", "delete"}:
        classes.append("nhsuk-button--warning")
    elif tags & {"secondary", "outline", "link", "minor", "cancel"}:
        classes.append("nhsuk-button--secondary")
    if tags & {"panel", "tool", "minor"}:
        classes.append("nhsuk-button--small")
    return " ".join(classes)


@register.filter
def nhsuk_tag_colour(tags) -> str:
    """An NHS.UK tag colour class for allauth's ``{% element badge tags="…" %}``."""
    tags = _tags(tags)
    for names, colour in (
        ({"success", "verified"}, "green"),
        ({"warning", "unverified"}, "orange"),
        ({"danger"}, "red"),
        ({"primary", "current"}, "blue"),
        ({"secondary"}, "grey"),
    ):
        if tags & names:
            return f"nhsuk-tag--{colour}"
    return ""


@register.filter
def has_tag(tags, name) -> bool:
    return str(name) in _tags(tags)


@register.filter
def nhsuk_group_in_fours(value) -> str:
    """``ABCDEFGHIJ`` as ``ABCD EFGH IJ``: a long key is easier to read and type in groups."""
    text = str(value or "")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
