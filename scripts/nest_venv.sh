# Sourced by the NEST reference scripts (scripts/nest_reference.sh, scripts/nest_stdp_reference.sh):
# installs NEST 3.10.0 from PyPI into a venv at .deps/nest-venv (once) and sets $repo and $venv.
# Idempotent: a venv that already has nest-simulator 3.10.0 is used as it is.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$repo/.deps/nest-venv
py=${PYTHON:-python3}
nest_version=3.10.0

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

if [ ! -x "$venv/bin/python" ]; then
  rm -rf "$venv"
  # Debian's python3 needs python3-venv for ensurepip.
  if ! "$py" -c "import venv, ensurepip" >/dev/null 2>&1; then
    echo "== installing python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  mkdir -p "$repo/.deps"
  echo "== creating $venv"
  "$py" -m venv "$venv"
fi

if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('nest-simulator') != '$nest_version')" \
  >/dev/null 2>&1; then
  echo "== installing nest-simulator==$nest_version into $venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q "nest-simulator==$nest_version"
fi
