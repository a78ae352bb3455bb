"""The therapist's writing pages: her articles, the editor, preview, versions, images.

Every page works without JavaScript; static/education/writing.js only adds the live
preview, the live word count and inserting an uploaded image at the cursor.
"""

import difflib
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from education import selectors
from education.embeds import embeds_resolve
from education.forms import ArticleForm, ImageUploadForm, article_initial
from education.rendering import body_html, reading_minutes, word_count
from education.services import (
    ArticleDraft,
    article_draft_from,
    article_image_upload,
    article_save,
    article_version_restore,
)
from education.views import article_context
from practice.accounts.decorators import staff_two_factor_required, therapist_required
from practice.accounts.models import TherapistProfile, User
from practice.accounts.selectors import therapist_profile_get
from practice.core.selectors import practice_zone


def author_default(user: User) -> TherapistProfile | None:
    """Her own profile, or the practice owner's for staff without one."""
    own = therapist_profile_get(user=user)
    if own is not None:
        return own
    return TherapistProfile.objects.filter(user__is_superuser=True).order_by("pk").first()


def _zone(user: User) -> ZoneInfo:
    profile = therapist_profile_get(user=user)
    return ZoneInfo(str(profile.time_zone)) if profile else practice_zone()


@therapist_required
def write_list(request: HttpRequest) -> HttpResponse:
    articles = list(selectors.article_list_for_staff())
    return render(request, "education/write/list.html", {"articles": articles})


@therapist_required
@require_http_methods(["GET", "POST"])
def write_edit(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    """New article (no id) or an existing one. Saving keeps a version; warnings about
    embeds readers will not see are shown after the save."""
    user: User = request.user  # type: ignore[assignment]
    article = selectors.article_any_get(article_id=article_id) if article_id else None
    zone = _zone(user)
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, zone=zone)
        if form.is_valid():
            data = form.cleaned_data
            draft = ArticleDraft(
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                body=data["body"],
                author=data["author"],
                status=data["status"],
                publish_at=data["publish_at"],
                topics=list(data["topics"]),
                series=data["series"],
                series_position=data["series_position"],
                hero_image=data["hero_image"] or None,
                hero_alt=data["hero_alt"],
                hero_remove=data["hero_remove"],
                reviewed_on=data["reviewed_on"],
                reviewed_by=data["reviewed_by"],
                references=data["references"],
                note=data["note"],
            )
            try:
                saved = article_save(article=article, draft=draft, editor=user)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, f"Saved “{saved.article.title}”.")
                for warning in saved.warnings:
                    messages.warning(request, warning)
                return redirect("education:write_edit", article_id=saved.article.pk)
    elif article is not None:
        form = ArticleForm(initial=article_initial(article, zone=zone), zone=zone)
    else:
        author = author_default(user)
        form = ArticleForm(initial={"author": author.pk if author else None}, zone=zone)
    body = article.body if article else ""
    return render(
        request,
        "education/write/edit.html",
        {
            "form": form,
            "article": article,
            "words": word_count(body),
            "minutes": reading_minutes(body),
            "image_form": ImageUploadForm(),
            "zone_name": zone.key.replace("_", " "),
        },
    )


@staff_two_factor_required
def preview(request: HttpRequest, article_id: int) -> HttpResponse:
    """The article as readers will see it, whatever its status: therapists only, behind their
    two-step sign-in; anyone else gets 404, as for an article that does not exist."""
    if not (request.user.is_authenticated and request.user.is_therapist):
        raise Http404("No article here.")
    article = selectors.article_any_get(article_id=article_id)
    context = article_context(article, preview=True)
    response = render(request, "education/detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


@therapist_required
@require_POST
def preview_fragment(request: HttpRequest) -> HttpResponse:
    """The live preview: the posted ``body`` (Markdown) as the reader's HTML, with counts."""
    body = request.POST.get("body", "")
    html = body_html(body, embeds=embeds_resolve([body], published_only=False))
    return JsonResponse({"html": html, "words": word_count(body), "minutes": reading_minutes(body)})


@therapist_required
@require_POST
def image_upload(request: HttpRequest, article_id: int) -> HttpResponse:
    """An image for the body. With JavaScript (JSON asked for): the Markdown to insert at
    the cursor. Without: the image is added at the end of the body and saved as a version."""
    user: User = request.user  # type: ignore[assignment]
    article = selectors.article_any_get(article_id=article_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = ImageUploadForm(request.POST, request.FILES)
    errors: dict[str, list[str]] = {}
    if form.is_valid():
        try:
            image = article_image_upload(
                article=article,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
                editor=user,
            )
        except ValidationError as error:
            errors = error.message_dict
    else:
        errors = {name: [str(p) for p in problems] for name, problems in form.errors.items()}
    if errors:
        if wants_json:
            return JsonResponse({"errors": errors}, status=400)
        for problems in errors.values():
            for problem in problems:
                messages.error(request, f"The image was not added: {problem}")
        return redirect("education:write_edit", article_id=article.pk)
    alt = image.alt.replace("[", "(").replace("]", ")")
    markdown = f"![{alt}]({image.image.url})"
    if wants_json:
        return JsonResponse({"markdown": markdown, "url": image.image.url})
    draft = article_draft_from(article)
    draft.body = f"{article.body.rstrip()}\n\n{markdown}\n"
    draft.note = "Added an image"
    try:
        article_save(article=article, draft=draft, editor=user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, "The image was added at the end of the article.")
    return redirect("education:write_edit", article_id=article.pk)


@therapist_required
def versions(request: HttpRequest, article_id: int) -> HttpResponse:
    """The saved versions, and a comparison of two (``?a=<number>&b=<number>``, line by line)."""
    article = selectors.article_any_get(article_id=article_id)
    kept = list(selectors.article_versions(article=article))
    by_number = {version.number: version for version in kept}
    compare: dict[str, Any] | None = None
    older, newer = _numbers(request, kept)
    if older in by_number and newer in by_number:
        a, b = by_number[older], by_number[newer]
        compare = {
            "a": a,
            "b": b,
            "title": _line_diff([a.title], [b.title]),
            "summary": _line_diff([a.summary], [b.summary]),
            "body": _line_diff(a.body.splitlines(), b.body.splitlines()),
        }
    return render(
        request,
        "education/write/versions.html",
        {"article": article, "versions": kept, "compare": compare, "a": older, "b": newer},
    )


@therapist_required
@require_POST
def version_restore(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    article = selectors.article_any_get(article_id=article_id)
    try:
        saved = article_version_restore(article=article, number=number, editor=user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("education:versions", article_id=article.pk)
    messages.success(request, f"Version {number} is back, saved as a new version.")
    for warning in saved.warnings:
        messages.warning(request, warning)
    return redirect("education:write_edit", article_id=article.pk)


def _numbers(request: HttpRequest, kept: list[Any]) -> tuple[int | None, int | None]:
    def number(name: str) -> int | None:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else None

    a, b = number("a"), number("b")
    if a is None and b is None and len(kept) >= 2:
        return kept[1].number, kept[0].number
    if a is not None and b is not None and a > b:
        return b, a
    return a, b


def _line_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """(kind, line) with kind "same", "removed" or "added", from difflib's matching blocks."""
    lines: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(("same", line) for line in old[i1:i2])
            continue
        lines.extend(("removed", line) for line in old[i1:i2])
        lines.extend(("added", line) for line in new[j1:j2])
    return lines
