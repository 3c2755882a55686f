"""Grouping a batch's pages into documents: a file with several pages is one, loose pages of a folder are one."""

from __future__ import annotations

from ocrfix.export.documents import DocumentPage, group_documents
from ocrfix.geometry import PageOrigin, PageTransform
from ocrfix.model import Page


def page(page_id: str, source: str, number: int = 1) -> DocumentPage:
    origin = PageOrigin(PageTransform.identity(100, 100), page_number=number)
    return DocumentPage.of(page_id, Page((), 100, 100, source, origin=origin), f"{page_id}\n")


def test_files_with_several_pages_and_folders_of_single_pages_are_documents_in_batch_order():
    pages = [
        page("a-p001", "in/a.pdf", 1), page("a-p002", "in/a.pdf", 2),
        page("l1", "in/delo 5/l1.png"), page("l2", "in/delo 5/l2.png"),
        page("b-p003", "in/b.tif", 3),  # the only page left of a multi-page file is still that file's
        page("x", "other/x.jpg"),
    ]
    documents = group_documents(pages)
    assert [(d.name, d.kind, [p.page_id for p in d.pages]) for d in documents] == [
        ("a", "file", ["a-p001", "a-p002"]),
        ("delo_5", "folder", ["l1", "l2"]),
        ("b", "file", ["b-p003"]),
        ("other", "folder", ["x"]),
    ]


def test_document_names_are_unique():
    documents = group_documents([page("p1", "one/delo.pdf", 2), page("p2", "two/delo.pdf", 2), page("p3", "x/delo/a.png")])
    assert [d.name for d in documents] == ["delo", "delo-2", "delo-3"]


def test_no_pdf_for_pages_that_do_not_say_where_their_words_lie(tmp_path):
    from ocrfix.export.documents import write_documents
    from ocrfix.model import BBox, Block, Line, Word

    page_model = Page((Block((Line((Word("слово", BBox(1, 1, 30, 10)),)),)),), 100, 100, str(tmp_path / "a.png"))
    written = write_documents(tmp_path, group_documents([DocumentPage.of("a", page_model, "слово\n")]), pdf=True)
    assert len(written.without_pdf) == 1 and "did not record where its words lie" in written.without_pdf[0]
    assert "documents/a.txt" not in written.files  # named after the folder
    assert {f for f in written.files if f.endswith(".txt")} == {f"documents/{tmp_path.name}.txt"}
    assert not list((tmp_path / "documents").glob("*.pdf"))
