# Shared by scripts/test, scripts/run-local and .ci/run (sourced, not executed).
# Installs what the platform needs on a bare Debian machine: apt packages, the virtualenv and
# the pinned Python dependencies (skipped when pyproject.toml and requirements.lock are unchanged).

FNE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FNE_VENV="$FNE_ROOT/.venv"
FNE_STAMP="$FNE_VENV/.fne-install-stamp"

fne_log() {
    printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

# Run a command as root: directly when we are root, through sudo otherwise.
fne_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

fne_has_package() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# fne_apt_ensure PKG...: installs the packages that are missing (apt-get update only then).
# Sets FNE_APT_INSTALLED to the packages this call installed.
fne_apt_ensure() {
    local missing=() pkg
    FNE_APT_INSTALLED=""
    for pkg in "$@"; do
        fne_has_package "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        fne_log "Paquets manquants (${missing[*]}) et apt-get introuvable : installez-les puis relancez."
        return 1
    fi
    fne_log "Installation des paquets système : ${missing[*]}"
    fne_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    fne_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    FNE_APT_INSTALLED="${missing[*]}"
}

# Python interpreter for the virtualenv: FNE_PYTHON, else python3.
fne_python() {
    echo "${FNE_PYTHON:-python3}"
}

# Creates .venv if needed and installs the pinned dependencies when they changed.
fne_venv() {
    local python
    python="$(fne_python)"
    if ! command -v "$python" >/dev/null; then
        fne_apt_ensure python3 python3-venv
    fi
    if [ ! -x "$FNE_VENV/bin/python" ]; then
        # Debian's python3 needs python3-venv for ensurepip.
        if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
            fne_apt_ensure python3-venv
        fi
        fne_log "Création de l'environnement virtuel .venv ($("$python" --version))"
        "$python" -m venv "$FNE_VENV"
    fi
    local wanted
    wanted="$(cat "$FNE_ROOT/pyproject.toml" "$FNE_ROOT/requirements.lock" | sha256sum | cut -d' ' -f1) $("$FNE_VENV/bin/python" -V)"
    if [ -f "$FNE_STAMP" ] && [ "$(cat "$FNE_STAMP")" = "$wanted" ]; then
        return 0
    fi
    fne_log "Installation des dépendances Python (requirements.lock)"
    local start=$SECONDS
    (cd "$FNE_ROOT" && "$FNE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c requirements.lock -e '.[dev]')
    echo "$wanted" >"$FNE_STAMP"
    fne_log "Dépendances installées en $((SECONDS - start)) s"
}

# Puts the virtualenv first on PATH for the rest of the calling script.
fne_activate() {
    export VIRTUAL_ENV="$FNE_VENV"
    export PATH="$FNE_VENV/bin:$PATH"
}

# Installs the browser tests' npm packages (axe-core, pinned by tests/e2e/package-lock.json) when
# they are missing or the lock file changed since the last install.
fne_e2e_node() {
    local dir="$FNE_ROOT/tests/e2e" stamp wanted
    stamp="$dir/node_modules/.fne-install-stamp"
    wanted="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$dir/node_modules/axe-core/axe.min.js" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null; then
        fne_apt_ensure nodejs npm
    fi
    fne_log "Installation des paquets npm des tests navigateur (tests/e2e/package-lock.json)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
    echo "$wanted" >"$stamp"
}
