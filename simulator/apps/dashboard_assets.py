"""The classroom dashboard's browser assets: the npm packages its page loads, put into Solara's cache.

Solara's page loads its JavaScript and CSS bundles (npm packages) through its own CDN proxy,
which fetches them once from cdn.jsdelivr.net into a cache directory. Where that CDN cannot be
reached (CI, a classroom behind a firewall), ``bnpl-stress-dashboard --install-assets`` fills the
cache beforehand from the npm registry with ``npm pack`` (:func:`install_assets`).

Needs the ``dashboard`` extra (Solara), imported inside the functions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

__all__ = ["asset_cache_dir", "asset_specs", "install_assets", "missing_assets"]

_CDN_REF = re.compile(r"(?:\{\{\s*cdn\s*\}\}|\$\{this\.getCdn\(\)\})/((?:@[\w.-]+/)?[\w.-]+@\d+\.\d+\.\d+[\w.-]*)/")


def asset_cache_dir() -> Path:
    """Solara's CDN cache directory (``SOLARA_ASSETS_PROXY_CACHE_DIR``; default under ``sys.prefix``)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def asset_specs() -> list[str]:
    """The npm packages (``name@version``) this dashboard's page loads through Solara's CDN proxy.

    Read from the installed Solara: its page template (the application bundle for the installed
    Vue major version, RequireJS), its font stylesheet setting and its draggable grid (Mesa's layout).
    """
    import ipyvue
    import solara
    from solara.server import settings

    root = Path(solara.__file__).parent
    files = [root / "server" / "templates" / "solara.html.j2",
             *sorted((root / "widgets" / "vue").glob("gridlayout*.vue"))]
    specs = {m for f in files for m in _CDN_REF.findall(f.read_text(encoding="utf-8"))}
    other_app = "solara-vuetify-app@" if ipyvue.__version__.startswith("3") else "solara-vuetify3-app@"
    specs = {s for s in specs if other_app not in s}
    if settings.assets.fontawesome_enabled:
        specs.add(settings.assets.fontawesome_path.strip("/").split("/")[0])
    return sorted(specs)


def missing_assets() -> list[str]:
    """The :func:`asset_specs` not yet in :func:`asset_cache_dir`."""
    cache = asset_cache_dir()
    return [s for s in asset_specs() if not (cache / s / "package.json").is_file()]


def install_assets(npm: str | None = None) -> list[str]:
    """Put the missing :func:`asset_specs` into Solara's CDN cache with ``npm pack``; returns them."""
    todo = missing_assets()
    if not todo:
        return []
    npm = npm or shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found: install Node.js's npm (e.g. apt-get install npm) to fetch "
                           f"the dashboard's browser assets ({', '.join(todo)})")
    cache = asset_cache_dir()
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([npm, "pack", *todo, "--silent", "--pack-destination", tmp], check=True,
                             capture_output=True, text=True).stdout.split()
        tarballs = [Path(tmp) / name for name in out if name.endswith(".tgz")]
        if len(tarballs) != len(todo):
            raise RuntimeError(f"npm pack {' '.join(todo)}: expected {len(todo)} tarballs, got {out}")
        for spec, tgz in zip(todo, tarballs, strict=True):
            dest = cache / spec
            staging = Path(tmp) / "x"
            shutil.rmtree(staging, ignore_errors=True)
            with tarfile.open(tgz) as tar:
                tar.extractall(staging, filter="data")
            (top,) = list(staging.iterdir())  # npm tarballs hold one folder, "package/"
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(top), str(dest))
    return todo
