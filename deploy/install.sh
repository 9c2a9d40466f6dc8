#!/usr/bin/env bash
# Installs Social Ledger from this source tree into the Python on PATH and checks that it starts:
# the Containerfile runs exactly this, and so does CI (.ci/run, in a fresh virtual environment),
# so the image's build steps are tested even where no image can be built.
set -euo pipefail
cd "$(dirname "$0")/.."

pip install --no-cache-dir '.[serve]'

# The installed product's own checks, as a deployment runs them, on a throwaway data folder:
# settings load, every model has its migration, and the deployment checks find no error.
scratch="$(mktemp -d)"
export SOCIALLEDGER_DATA_DIR="$scratch" SOCIALLEDGER_HTTPS=true ALLOWED_HOSTS=socialvalue.example.org
export SECRET_KEY="build-check-only-$(python -c 'import secrets; print(secrets.token_urlsafe(40))')"
socialledger check --deploy --fail-level WARNING
socialledger makemigrations --check --dry-run
socialledger help serve >/dev/null
socialledger help worker >/dev/null
rm -rf "$scratch"
