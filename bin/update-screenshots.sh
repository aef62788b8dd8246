#!/usr/bin/env bash
# Copies the dashboard screenshots of the last browser test run (touchpoint-server/target/screenshots, written
# by DashboardBrowserTest and DestinationsBrowserTest) into docs/screenshots, which the README shows. Run the
# browser tests first:
#   ./test -pl touchpoint-server -am -Dtest='Dashboard*,DestinationsBrowserTest' -Dsurefire.failIfNoSpecifiedTests=false
#   bin/update-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
from=touchpoint-server/target/screenshots
to=docs/screenshots
shopt -s nullglob
shots=("$from"/*.png)
if [ ${#shots[@]} -eq 0 ]; then
  echo "update-screenshots: no screenshots in $from; run the dashboard browser tests first (see above)" >&2
  exit 1
fi
mkdir -p "$to"
cp "${shots[@]}" "$to"/
echo "update-screenshots: copied ${#shots[@]} screenshots from $from to $to"
