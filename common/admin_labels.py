"""Names for the boxes Django's admin draws without one, so screen readers (and axe) can say what
each box is for.

Django's admin leaves three kinds of box unnamed:

* the time half of a split date and time field (the field's <label> points at the date box only,
  and "Date:" and "Time:" beside the boxes are plain text);
* every box in a table of inline rows (a tabular inline), including its "Delete?" tick box: the
  column heading is not a label;
* the search-as-you-type boxes (select2, from ``autocomplete_fields``): select2 hides the real
  <select> and names its own box only by the option chosen. That one is fixed in the browser, by
  static/js/admin-accessibility.js (loaded by templates/admin/base_site.html), which names it
  from the <select>'s label or ``aria-label``.

Add ``AccessibleAdminMixin`` before ``admin.ModelAdmin`` or ``admin.TabularInline``::

    class ActionInline(AccessibleAdminMixin, admin.TabularInline): ...
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.text import capfirst


def _label_of(name: str, field: forms.Field) -> str:
    return str(capfirst(field.label or name.replace("_", " ")))


def name_split_date_times(form_class: type[forms.BaseForm]) -> None:
    """Gives each half of every split date and time field a name: "Starts at: date", "Starts at: time"."""
    for name, field in form_class.base_fields.items():
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, forms.SplitDateTimeWidget):
            label = _label_of(name, field)
            date, time = widget.widgets
            date.attrs["aria-label"] = f"{label}: date"
            time.attrs["aria-label"] = f"{label}: time"


def name_every_box(form_class: type[forms.BaseForm]) -> None:
    """Names every box in a form drawn as a table row, after its column heading (the field's label)."""
    for name, field in form_class.base_fields.items():
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, forms.SplitDateTimeWidget) or widget.is_hidden:
            continue
        widget.attrs.setdefault("aria-label", _label_of(name, field))
    name_split_date_times(form_class)


class AccessibleAdminMixin:
    """Names the boxes Django's admin leaves unnamed (see the module's docstring)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        name_split_date_times(form)
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if isinstance(self, admin.TabularInline):
            name_every_box(formset.form)
            return _with_named_delete_boxes(formset)
        name_split_date_times(formset.form)
        return formset


def _with_named_delete_boxes(formset_class):
    """The formset class, with each row's "Delete?" tick box named (it is added row by row)."""

    class NamedDeleteBoxes(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            delete = form.fields.get("DELETE")
            if delete is not None:
                delete.widget.attrs.setdefault("aria-label", "Delete")

    NamedDeleteBoxes.__name__ = formset_class.__name__
    return NamedDeleteBoxes
