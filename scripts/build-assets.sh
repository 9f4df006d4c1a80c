#!/usr/bin/env bash
# Rebuild the front-end files in static/ from package.json's GOV.UK Frontend and
# assets/scss/app.scss. The output is committed, so the app runs without Node or npm;
# run this (or `make assets`) after changing app.scss or upgrading govuk-frontend.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi

govuk=node_modules/govuk-frontend/dist/govuk

mkdir -p static/css static/js static/govuk/assets/images

# No source map: it would point at node_modules, which is not deployed.
npx --no-install sass --style=compressed --no-source-map --load-path=node_modules \
  assets/scss/app.scss static/css/app.css

# The bundle ends with a sourceMappingURL comment; Django's ManifestStaticFilesStorage
# would then demand the .map file at collectstatic, so ship the bundle without it.
sed -e 's|//# sourceMappingURL=.*$||' "$govuk/govuk-frontend.min.js" > static/js/govuk-frontend.min.js

# Images (favicons, crest used by the footer's CSS) and the web app manifest. Not the
# fonts/ folder: GDS Transport is for GOV.UK only and app.scss uses Arial.
rm -rf static/govuk/assets
mkdir -p static/govuk/assets
cp -R "$govuk/assets/images" static/govuk/assets/images
cp "$govuk/assets/manifest.json" static/govuk/assets/manifest.json

# Guard the rebrand: fail the build rather than ship GOV.UK's font.
if grep -q "GDS Transport" static/css/app.css; then
  echo "static/css/app.css mentions GDS Transport; check \$govuk-font-family in app.scss" >&2
  exit 1
fi

version=$(node -p 'require("./node_modules/govuk-frontend/package.json").version')
echo "Built static/ from govuk-frontend ${version}: css/app.css, js/govuk-frontend.min.js, govuk/assets/"
