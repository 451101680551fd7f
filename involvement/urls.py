from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin's login is allauth's, so the same rate limits and two-factor step apply.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Perinatal involvement: staff"
admin.site.site_title = "Perinatal involvement staff"
admin.site.index_title = "Run the group"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("members.urls")),
    path("admin/", admin.site.urls),
    path("staff/meetings/", include("meetings.staff_urls")),
    path("meetings/", include("meetings.urls")),
    path("staff/surveys/", include("surveys.staff_urls")),
    path("surveys/", include("surveys.urls")),
    path("staff/discussions/", include("discussions.staff_urls")),
    path("discussions/", include("discussions.urls")),
    path("expenses/", include("expenses.receipt_urls")),
    path("expenses/", include("expenses.urls")),
    path("library/", include("library.urls")),
    path("reports/", include("involvement.report_urls")),
    path("", include("involvement.impact_urls")),
]

handler400 = "involvement.errors.bad_request"
handler403 = "involvement.errors.permission_denied"
handler404 = "involvement.errors.page_not_found"
handler500 = "involvement.errors.server_error"
