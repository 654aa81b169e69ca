#!/usr/bin/env bash
# Rebuild hubsurvey/static/vendor/ from the npm packages pinned in
# package.json / package-lock.json. Needs Node and npm; the Flask app does not.
#
# Run from the repository root:  bash scripts/build-assets.sh  (or: make assets)
#
# Writes (versions from node_modules/<pkg>/package.json):
#   hubsurvey/static/vendor/govuk-frontend-<v>.min.css  assets/hubsurvey.scss, compiled
#   hubsurvey/static/vendor/govuk-frontend-<v>.min.js   GOV.UK Frontend ES module bundle
#   hubsurvey/static/vendor/htmx-<v>.min.js
#   hubsurvey/static/vendor/LICENSE-htmx.txt, LICENSE-govuk-frontend.txt
#   hubsurvey/static/vendor/manifest.json               logical name -> file name
set -euo pipefail

if [[ ! -f package.json || ! -d hubsurvey ]]; then
    echo "build-assets.sh: run this from the repository root" >&2
    exit 1
fi

vendor=hubsurvey/static/vendor
govuk=node_modules/govuk-frontend
htmx=node_modules/htmx.org

npm ci --no-audit --no-fund

pkg_version() {
    node -p "require('./$1/package.json').version"
}
govuk_version=$(pkg_version "$govuk")
htmx_version=$(pkg_version "$htmx")

govuk_css="govuk-frontend-${govuk_version}.min.css"
govuk_js="govuk-frontend-${govuk_version}.min.js"
htmx_js="htmx-${htmx_version}.min.js"

mkdir -p "$vendor"
# Drop earlier builds (any version) so only the current files remain.
rm -f "$vendor"/govuk-frontend-*.min.css "$vendor"/govuk-frontend-*.min.js \
    "$vendor"/htmx-*.min.js

node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map \
    assets/hubsurvey.scss "$vendor/$govuk_css"

cp "$govuk/dist/govuk/govuk-frontend.min.js" "$vendor/$govuk_js"
# The bundle ends with a sourceMappingURL comment; we do not ship the map.
sed -i -e 's|//# sourceMappingURL=[^[:space:]]*$||' "$vendor/$govuk_js"
cp "$htmx/dist/htmx.min.js" "$vendor/$htmx_js"

cp "$htmx/LICENSE" "$vendor/LICENSE-htmx.txt"

# The govuk-frontend npm package ships no licence file; its package.json says
# MIT. Copy one if a future release includes it, otherwise write the upstream
# LICENSE.txt (github.com/alphagov/govuk-frontend).
govuk_licence=$(find "$govuk" -maxdepth 1 -type f -iname 'licen[cs]e*' | head -n 1)
if [[ -n "$govuk_licence" ]]; then
    cp "$govuk_licence" "$vendor/LICENSE-govuk-frontend.txt"
else
    govuk_licence_id=$(node -p "require('./$govuk/package.json').license")
    if [[ "$govuk_licence_id" != "MIT" ]]; then
        echo "build-assets.sh: govuk-frontend licence is now '$govuk_licence_id'; update this script" >&2
        exit 1
    fi
    cat >"$vendor/LICENSE-govuk-frontend.txt" <<'LICENCE'
GOV.UK Frontend (https://github.com/alphagov/govuk-frontend)
The npm package declares "license": "MIT"; this is the repository's LICENSE.txt.

The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
fi

printf '{"htmx": "%s", "govuk_css": "%s", "govuk_js": "%s"}\n' \
    "$htmx_js" "$govuk_css" "$govuk_js" >"$vendor/manifest.json"

# We ship no fonts or images, so the CSS must not point at any.
if grep -q 'GDS Transport' "$vendor/$govuk_css" || grep -q 'url(' "$vendor/$govuk_css"; then
    echo "build-assets.sh: $govuk_css refers to GDS Transport or a url(); see assets/hubsurvey.scss" >&2
    exit 1
fi

ls -l "$vendor"
