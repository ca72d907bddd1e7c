"""The one walk of source folders: every entry listed, links never followed, files in name order."""

from __future__ import annotations

from pathlib import Path

from relais.core.tree import regular_files, walk


def make_tree(root: Path) -> Path:
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "skipped").mkdir()
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text("x", encoding="utf-8")
    for name in ("z.yml", "b/two.yml", "b/one.yml", "b/deep/three.yml", "a/.DS_Store", "skipped/s.yml"):
        (root / name).write_text("x", encoding="utf-8")
    (root / "link-to-file.yml").symlink_to(outside / "secret.yml")
    (root / "link-to-folder").symlink_to(outside, target_is_directory=True)
    (root / "broken.yml").symlink_to(root / "missing.yml")
    return root


def test_regular_files_are_in_order_without_links_leftovers_or_skipped_folders(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    found = [path.relative_to(root).as_posix() for path in regular_files(root, skip=(root / "skipped",))]
    assert found == ["z.yml", "b/one.yml", "b/two.yml", "b/deep/three.yml"]


def test_a_linked_root_has_no_regular_files(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    assert list(regular_files(root / "link-to-folder")) == []
    assert list(regular_files(root / "missing")) == []


def test_walk_lists_every_entry_and_enters_no_link(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "root")
    found = {(path.relative_to(root).as_posix(), is_folder) for path, is_folder in walk(root)}
    assert found == {
        ("a", True),
        ("b", True),
        ("skipped", True),
        ("link-to-folder", True),
        ("b/deep", True),
        ("z.yml", False),
        ("link-to-file.yml", False),
        ("broken.yml", False),
        ("a/.DS_Store", False),
        ("b/one.yml", False),
        ("b/two.yml", False),
        ("b/deep/three.yml", False),
        ("skipped/s.yml", False),
    }
