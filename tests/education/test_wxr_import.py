"""Bringing a WordPress blog along: the import of a WXR export, its report and its redirects."""

import http.server
import io
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from PIL import Image

from education.models import Article, ArticleImage, Topic
from education.wxr import WxrError, wxr_parse
from education.wxr_import import articles_import_wxr
from practice.accounts.models import TherapistProfile, User
from practice.core.markdown import markdown_render
from practice.core.models import Redirect
from tests.fixtures.accounts import therapist_create

EXPORT = Path(__file__).parent / "data" / "wordpress-export.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruth() -> User:
    """The therapist who wrote the blog (her address in another case than the export's)."""
    return therapist_create(email="ruth@strongbones.example", full_name="Ruth Calder")


@pytest.fixture
def owner_therapist() -> User:
    user = therapist_create(email="owner@strongbones.example", full_name="Olive Owner")
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """A copy of the old site's wp-content/uploads with the one image the export uses."""
    folder = tmp_path / "uploads"
    (folder / "2019" / "09").mkdir(parents=True)
    Image.new("RGB", (900, 600), (200, 120, 80)).save(folder / "2019" / "09" / "bridge.jpg")
    return folder


def run_import(editor: User, uploads: Path | None = None, **options):
    return articles_import_wxr(
        data=EXPORT.read_bytes(), editor=editor, uploads_dir=uploads, fetch=False, **options
    )


def test_posts_come_in_as_articles_with_their_dates_topics_and_authors(
    ruth: User, owner_therapist: User, uploads: Path
) -> None:
    report = run_import(owner_therapist, uploads)

    assert sorted(line.title for line in report.created) == [
        "Balance after 60 (draft)",
        "Calcium, vitamin D and your bones",
        "Members only: our class schedule",
        "Weak glutes: why your hips ache & what helps",
    ]
    glutes = Article.objects.get(slug="weak-glutes")
    assert glutes.status == Article.Status.PUBLISHED
    assert glutes.published_at is not None
    assert glutes.published_at.isoformat() == "2019-09-12T14:30:00+00:00"
    assert glutes.author.user == ruth  # matched by email, whatever its case
    assert sorted(glutes.topics.values_list("slug", flat=True)) == ["bone-health", "glutes"]
    assert not Topic.objects.filter(slug="uncategorized").exists()

    calcium = Article.objects.get(slug="calcium-vitamin-d")
    assert calcium.author.user == owner_therapist  # Gina Guest is no therapist here
    assert any("Gina Guest" in note and "Olive Owner" in note for note in report.notes)
    assert calcium.summary == "How much calcium and vitamin D you need after 50, in plain words."


def test_nothing_that_was_not_public_is_published(ruth: User, owner_therapist: User) -> None:
    report = run_import(owner_therapist)
    draft = Article.objects.get(title="Balance after 60 (draft)")
    assert draft.status == Article.Status.DRAFT
    protected = Article.objects.get(title="Members only: our class schedule")
    assert protected.status == Article.Status.DRAFT
    skipped = {line.title: line.reason for line in report.skipped}
    assert "trash" in skipped["Old spam post"]
    assert "page" in skipped["About Ruth"]
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert Client().get(protected.get_absolute_url()).status_code == 404


def test_bodies_are_cleaned_like_a_paste(ruth: User, owner_therapist: User, uploads: Path) -> None:
    run_import(owner_therapist, uploads)
    body = Article.objects.get(slug="weak-glutes").body
    assert "it\u2019s your **glutes** & the way they steady your pelvis \u2026" in body
    assert "- Bridges, done slowly\n- Clamshells\n- Walking uphill" in body
    assert "Strong Bones\u2122 classes" in body
    assert "[caption" not in body
    assert "[gallery" not in body
    assert "alert" not in body
    assert "A bridge: lift, hold, lower." in body

    calcium = Article.objects.get(slug="calcium-vitamin-d").body
    assert "## What the numbers mean" in calcium
    assert "1,200 mg" in calcium
    assert "wp:paragraph" not in calcium
    assert "onclick" not in calcium
    assert "\n\n\n" not in calcium
    html = markdown_render(calcium)
    assert "<h2>What the numbers mean</h2>" in html


def test_images_are_stored_here_and_the_missing_ones_listed(
    ruth: User, owner_therapist: User, uploads: Path
) -> None:
    report = run_import(owner_therapist, uploads)
    image = ArticleImage.objects.get()
    assert image.alt == "A woman lying on her back lifting her hips into a bridge"
    assert image.width == 900  # the original, not WordPress's 300 px copy
    body = Article.objects.get(slug="weak-glutes").body
    assert f"]({image.image.url})" in body
    assert "oldblog.example/wp-content/uploads/2019/09/bridge" not in body
    assert report.images_missing == ["https://oldblog.example/wp-content/uploads/2020/01/gone.png"]
    assert "https://oldblog.example/wp-content/uploads/2020/01/gone.png" in (
        Article.objects.get(slug="calcium-vitamin-d").body
    )


def test_images_are_downloaded_when_the_old_site_answers(
    ruth: User, owner_therapist: User, settings
) -> None:
    settings.WXR_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the old site is a server here
    with old_site() as base:
        data = EXPORT.read_bytes().replace(b"https://oldblog.example", base.encode())
        report = articles_import_wxr(data=data, editor=owner_therapist)
    assert ArticleImage.objects.count() == 1
    assert report.images_missing == [f"{base}/wp-content/uploads/2020/01/gone.png"]


def test_private_addresses_are_never_fetched(ruth: User, owner_therapist: User) -> None:
    with old_site() as base:
        data = EXPORT.read_bytes().replace(b"https://oldblog.example", base.encode())
        report = articles_import_wxr(data=data, editor=owner_therapist)
    assert ArticleImage.objects.count() == 0
    assert f"{base}/wp-content/uploads/2019/09/bridge-300x200.jpg" in report.images_missing


def test_old_addresses_answer_with_a_301_to_the_new_page(ruth: User, owner_therapist: User) -> None:
    report = run_import(owner_therapist)
    assert report.redirects == 4  # two published posts, each by its link and its ?p= form
    for old in ("/2019/09/weak-glutes/", "/2019/09/weak-glutes", "/?p=12"):
        response = Client().get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/articles/weak-glutes/"
    assert Client().get("/2020/01/calcium-vitamin-d/")["Location"] == (
        "/articles/calcium-vitamin-d/"
    )
    assert not Redirect.objects.filter(old_path="/?p=30").exists()  # a draft has no page
    assert Client().get("/?p=999").status_code == 200  # the home page, as before


def test_importing_again_changes_nothing(ruth: User, owner_therapist: User, uploads: Path) -> None:
    run_import(owner_therapist, uploads)
    before = {
        article.slug: (article.body, article.updated_at, article.versions.count())
        for article in Article.objects.all()
    }
    again = run_import(owner_therapist, uploads)
    assert again.created == []
    assert again.updated == []
    assert {line.reason for line in again.skipped} >= {"unchanged since the last import"}
    after = {
        article.slug: (article.body, article.updated_at, article.versions.count())
        for article in Article.objects.all()
    }
    assert after == before
    assert ArticleImage.objects.count() == 1
    assert Redirect.objects.count() == 4


def test_an_article_edited_here_is_not_overwritten(ruth: User, owner_therapist: User) -> None:
    from education.services import article_draft_from, article_save

    run_import(owner_therapist)
    article = Article.objects.get(slug="weak-glutes")
    draft = article_draft_from(article)
    draft.body = "Rewritten on the new site."
    article_save(article=article, draft=draft, editor=owner_therapist)

    changed = EXPORT.read_bytes().replace(b"Walking uphill", b"Walking up stairs")
    report = articles_import_wxr(data=changed, editor=owner_therapist, fetch=False)
    reasons = {line.title: line.reason for line in report.skipped}
    assert "not overwritten" in reasons["Weak glutes: why your hips ache & what helps"]
    assert Article.objects.get(slug="weak-glutes").body == "Rewritten on the new site."


def test_a_post_changed_on_the_old_blog_is_updated(ruth: User, owner_therapist: User) -> None:
    run_import(owner_therapist)
    changed = EXPORT.read_bytes().replace(b"Walking uphill", b"Walking up stairs")
    report = articles_import_wxr(data=changed, editor=owner_therapist, fetch=False)
    assert [line.title for line in report.updated] == [
        "Weak glutes: why your hips ache & what helps"
    ]
    assert "- Walking up stairs" in Article.objects.get(slug="weak-glutes").body


def test_an_article_written_here_keeps_its_address(ruth: User, owner_therapist: User) -> None:
    from education.services import ArticleDraft, article_save

    profile = TherapistProfile.objects.get(user=ruth)
    article_save(
        article=None,
        draft=ArticleDraft(
            title="Weak glutes", summary="Mine.", body="Mine.", author=profile, slug="weak-glutes"
        ),
        editor=ruth,
    )
    report = run_import(owner_therapist)
    reasons = {line.title: line.reason for line in report.skipped}
    assert "written here" in reasons["Weak glutes: why your hips ache & what helps"]
    assert Article.objects.get(slug="weak-glutes").body == "Mine."


def test_a_trial_run_saves_nothing(ruth: User, owner_therapist: User, uploads: Path) -> None:
    report = run_import(owner_therapist, uploads, dry_run=True)
    assert len(report.created) == 4
    assert Article.objects.count() == 0
    assert Redirect.objects.count() == 0
    assert ArticleImage.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<rss><channel><item>", "not well-formed"),
        (b"<html><body>Not an export</body></html>", "not a WordPress export"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<rss><channel>&b;</channel></rss>",
            "entities",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_imported(
    data: bytes, message: str, owner_therapist: User
) -> None:
    with pytest.raises(WxrError, match=message):
        articles_import_wxr(data=data, editor=owner_therapist)
    assert Article.objects.count() == 0


def test_a_failure_half_way_imports_nothing(
    ruth: User, owner_therapist: User, uploads: Path, monkeypatch
) -> None:
    from education import wxr_import

    original = wxr_import.redirect_save
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(**kwargs)

    monkeypatch.setattr(wxr_import, "redirect_save", failing)
    with pytest.raises(RuntimeError):
        run_import(owner_therapist, uploads)
    assert Article.objects.count() == 0
    assert Redirect.objects.count() == 0
    assert Topic.objects.count() == 0
    assert ArticleImage.objects.count() == 0


def test_the_command_reports_and_refuses_a_bad_file(
    ruth: User, owner_therapist: User, uploads: Path, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "import_articles", str(EXPORT), "--uploads", str(uploads), "--no-download", stdout=out
    )
    text = out.getvalue()
    assert text.startswith("4 created, 0 updated, 2 skipped, 4 old addresses redirected")
    assert "Skipped: About Ruth: a page, not a post" in text
    assert (
        "Image missing (its link is kept): https://oldblog.example/wp-content/uploads/2020/01/gone.png"
        in text
    )

    broken = tmp_path / "broken.xml"
    broken.write_bytes(EXPORT.read_bytes()[:3000])
    with pytest.raises(CommandError, match=r"not well-formed XML .* Nothing was imported"):
        call_command("import_articles", str(broken))


def test_the_parser_reads_every_kind_of_entry() -> None:
    export = wxr_parse(EXPORT.read_bytes())
    kinds = [item.post_type for item in export.items]
    assert kinds.count("post") == 5
    assert kinds.count("page") == 1
    assert kinds.count("attachment") == 1
    assert export.authors["ruth"].email == "Ruth@StrongBones.example"
    post = next(item for item in export.items if item.post_id == 12)
    assert post.title == "Weak glutes: why your hips ache & what helps"
    assert {(term.domain, term.slug) for term in post.terms} == {
        ("category", "bone-health"),
        ("post_tag", "glutes"),
    }


class _OldSite(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def old_site() -> "_Served":
    return _Served()


class _Served:
    """The old blog's uploads folder served over HTTP on the loopback address."""

    def __enter__(self) -> str:
        self._dir = tempfile.TemporaryDirectory()
        root = Path(self._dir.name)
        folder = root / "wp-content" / "uploads" / "2019" / "09"
        folder.mkdir(parents=True)
        Image.new("RGB", (640, 480), (90, 140, 200)).save(folder / "bridge.jpg")

        def handler(*args: object, **kwargs: object) -> _OldSite:
            return _OldSite(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._dir.cleanup()


def test_the_admin_page_tries_first_then_imports(
    ruth: User, owner: User, owner_client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/education/article/import-wordpress/"
    assert (
        "Import a WordPress blog" in owner_client.get("/admin/education/article/").content.decode()
    )
    page = owner_client.get(url)
    assert page.status_code == 200

    def upload(**fields):
        file = SimpleUploadedFile("blog.xml", EXPORT.read_bytes(), content_type="text/xml")
        return owner_client.post(url, {"file": file, **fields}).content.decode()

    trial = upload(dry_run="on")
    assert "What the import would do" in trial
    assert "4 created, 0 updated, 2 skipped" in trial
    assert Article.objects.count() == 0

    done = upload()
    assert "What the import did" in done
    assert Article.objects.count() == 4

    bad = SimpleUploadedFile("blog.xml", b"<rss><channel>", content_type="text/xml")
    answer = owner_client.post(url, {"file": bad}).content.decode()
    assert "not well-formed XML" in answer
    assert "Nothing was imported" in answer
