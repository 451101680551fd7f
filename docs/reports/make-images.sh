#!/usr/bin/env bash
# Remakes the pictures of the reports' first pages shown in the README (docs/reports/*.png).
#
# Seeds the demo group into a throwaway SQLite database, makes one report of each kind with
# `manage.py involvement_report`, and turns each first page into a PNG with pdftoppm
# (Debian package poppler-utils). Run from the project folder: `make report-images`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: apt-get install poppler-utils" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export VAR_DIR=$WORK DATABASE_URL="sqlite:///$WORK/demo.sqlite3" DJANGO_SETTINGS_MODULE=involvement.settings.development
unset REDIS_URL
PYTHON=.venv/bin/python

$PYTHON manage.py migrate --noinput >/dev/null
$PYTHON manage.py seed_demo >/dev/null
$PYTHON manage.py collectstatic --noinput >/dev/null

# The demo's first project, its largest survey, and its first active member.
read -r PROJECT SURVEY MEMBER < <($PYTHON manage.py shell --no-imports -c '
from django.db.models import Count
from involvement.models import Project
from members.models import Member
from surveys.models import Survey
project = Project.objects.order_by("pk").first()
survey = Survey.objects.annotate(n=Count("responses")).order_by("-n", "pk").first()
member = Member.objects.filter(status="active", erased_at__isnull=True).order_by("pk").first()
print(project.pk, survey.pk, member.pk)
' | tail -n 1)

# The last 12 months, to today.
read -r START END < <($PYTHON -c '
import datetime as dt
today = dt.date.today()
start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
print(start.isoformat(), today.isoformat())
')

make_one() {  # make_one <name> <involvement_report arguments...>
    local name=$1
    shift
    $PYTHON manage.py involvement_report "$@" --out "$WORK/$name.pdf" 2>/dev/null
    picture "$name" 1 "$name"
}

picture() {  # picture <report name> <page number> <picture name>
    pdftoppm -png -r 48 -f "$2" -l "$2" -singlefile "$WORK/$1.pdf" "docs/reports/$3"
    echo "docs/reports/$3.png"
}

make_one involvement-report --start "$START" --end "$END"
# Inside the involvement report: its headline figures and the projects on the ladder.
picture involvement-report 3 involvement-report-headline
PROJECTS_PAGE=$(for page in $(seq 4 40); do
    if pdftotext -f "$page" -l "$page" "$WORK/involvement-report.pdf" - 2>/dev/null | head -n 1 | grep -q "^Projects and the ladder"; then
        echo "$page"
        break
    fi
done)
picture involvement-report "${PROJECTS_PAGE:-4}" involvement-report-projects
make_one project-case-study --kind project --project "$PROJECT"
make_one survey-results --kind survey --survey "$SURVEY"
make_one certificate --kind certificate --member "$MEMBER"
