"""Receipt downloads, shared by the member pages and the admin (who may is decided in the view)."""

from django.urls import path

from . import receipt_views

app_name = "receipts"

urlpatterns = [
    path("receipts/<int:item_pk>/", receipt_views.download_receipt, name="download"),
]
