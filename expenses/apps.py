from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ExpensesConfig(AppConfig):
    name = "expenses"
    verbose_name = "Expenses and involvement payments"

    def ready(self) -> None:
        from members.privacy import register_erasure, register_export_section

        from .messages import register_kinds
        from .permissions import grant_finance_permissions
        from .privacy import erase_expenses, export_expense_claims

        register_kinds()
        post_migrate.connect(grant_finance_permissions, sender=self)
        register_export_section("expense_claims", "Your expense claims", export_expense_claims)
        register_erasure(erase_expenses)
