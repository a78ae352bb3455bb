"""The education API, included under /api/v1/ by practice/api/urls.py (docs/architecture.md).

- ``GET /api/v1/articles/`` published articles, newest first, paginated; ``?topic=<slug>``
  (an unknown topic is a 404) and ``?search=<words>`` (best match first).
- ``GET /api/v1/articles/<slug>/`` one published article (an old slug answers too).
- ``POST /api/v1/articles/`` and ``PATCH``/``PUT /api/v1/articles/<slug>/``: staff
  (therapists) create and edit with the writing page's validation (``article_save``); the
  author defaults to the signed-in therapist, or the practice owner's profile.
- ``GET /api/v1/topics/`` topics that have published articles.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from education import selectors
from education.models import Article, Series, Topic
from education.rendering import reading_minutes
from education.services import ArticleDraft, article_draft_from, article_save
from education.writing_views import author_default
from practice.accounts.models import User


class IsStaffOrReadOnly(permissions.BasePermission):
    message = "Only the practice's therapists can write articles."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and request.user.is_therapist)


class TopicSerializer(serializers.ModelSerializer[Topic]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Topic
        fields = ["name", "slug", "description", "url"]


class AuthorSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="display_name")
    credentials = serializers.CharField()
    slug = serializers.CharField()


class HeroSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    alt = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ArticleOutSerializer(serializers.ModelSerializer[Article]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    author = AuthorSerializer(read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    series: serializers.SlugRelatedField[Series] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    reading_minutes = serializers.SerializerMethodField()
    hero_image = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "url",
            "summary",
            "body",
            "status",
            "publish_at",
            "published_at",
            "revised_at",
            "author",
            "topics",
            "series",
            "series_position",
            "reading_minutes",
            "hero_image",
            "reviewed_on",
            "reviewed_by",
            "references",
        ]
        read_only_fields = fields

    def get_reading_minutes(self, article: Article) -> int:
        return reading_minutes(article.body)

    @extend_schema_field(HeroSerializer(allow_null=True))
    def get_hero_image(self, article: Article) -> dict[str, Any] | None:
        if not article.hero_image:
            return None
        return {
            "url": article.hero_image.url,
            "alt": article.hero_alt,
            "width": article.hero_width,
            "height": article.hero_height,
        }


class ArticleInSerializer(serializers.Serializer[Any]):
    """What staff send; the rules are the writing page's (``article_save``)."""

    title = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    status = serializers.ChoiceField(choices=Article.Status.choices, required=False)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    series = serializers.SlugRelatedField(
        slug_field="slug", queryset=Series.objects.all(), required=False, allow_null=True
    )
    series_position = serializers.IntegerField(required=False, allow_null=True, min_value=1)


_SEARCH = OpenApiParameter("search", OpenApiTypes.STR, description="Words to search for.")
_TOPIC = OpenApiParameter("topic", OpenApiTypes.STR, description="A topic's slug.")


@extend_schema_view(
    get=extend_schema(parameters=[_SEARCH, _TOPIC], responses=ArticleOutSerializer(many=True)),
    post=extend_schema(request=ArticleInSerializer, responses={201: ArticleOutSerializer}),
)
class ArticleListView(generics.ListCreateAPIView[Article]):
    """Published articles, newest first (best match first with ``search``); staff create."""

    permission_classes = [IsStaffOrReadOnly]
    serializer_class = ArticleOutSerializer

    def get_queryset(self) -> Any:
        topic_slug = self.request.query_params.get("topic", "")
        topic = selectors.topic_get(slug=topic_slug) if topic_slug else None
        search = self.request.query_params.get("search", "")
        return selectors.article_published_list(topic=topic, search=search)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ArticleInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user: User = request.user  # type: ignore[assignment]
        author = author_default(user)
        if author is None:
            raise ValidationError({"author": ["The practice has no therapist profile to sign it."]})
        data = incoming.validated_data
        draft = ArticleDraft(
            title=data["title"],
            summary=data["summary"],
            body=data.get("body", ""),
            author=author,
            slug=data.get("slug", ""),
            status=data.get("status", Article.Status.DRAFT),
            publish_at=data.get("publish_at"),
            topics=data.get("topics", []),
            series=data.get("series"),
            series_position=data.get("series_position"),
        )
        article = _save(None, draft, user)
        return Response(_out(article), status=status.HTTP_201_CREATED)


@extend_schema_view(
    put=extend_schema(request=ArticleInSerializer, responses=ArticleOutSerializer),
    patch=extend_schema(request=ArticleInSerializer, responses=ArticleOutSerializer),
)
class ArticleDetailView(generics.RetrieveUpdateAPIView[Article]):
    """One published article by slug (old slugs too); staff edit any article by its slug."""

    permission_classes = [IsStaffOrReadOnly]
    serializer_class = ArticleOutSerializer
    lookup_url_kwarg = "slug"

    def get_object(self) -> Article:
        slug = self.kwargs["slug"]
        if self.request.method not in permissions.SAFE_METHODS:
            article = Article.objects.filter(slug=slug).first()
            if article is None:
                raise Http404
            return selectors.article_any_get(article_id=article.pk)
        try:
            return selectors.article_published_get(slug=slug)
        except Http404:
            moved = selectors.article_redirect_target(slug=slug)
            if moved is None:
                raise
            return selectors.article_published_get(slug=moved.slug)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        partial = kwargs.get("partial", False)
        incoming = ArticleInSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        draft = article_draft_from(article)
        for name, value in incoming.validated_data.items():
            setattr(draft, name, value)
        saved = _save(article, draft, request.user)  # type: ignore[arg-type]
        return Response(_out(saved))


class TopicListView(generics.ListAPIView[Topic]):
    """Topics that have published articles."""

    permission_classes = [permissions.AllowAny]
    serializer_class = TopicSerializer

    def get_queryset(self) -> Any:
        return selectors.topic_list()


def _save(article: Article | None, draft: ArticleDraft, user: User) -> Article:
    try:
        return article_save(article=article, draft=draft, editor=user).article
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


def _out(article: Article) -> dict[str, Any]:
    return dict(ArticleOutSerializer(selectors.article_any_get(article_id=article.pk)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("articles/", ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", ArticleDetailView.as_view(), name="article-detail"),
    path("topics/", TopicListView.as_view(), name="topic-list"),
]
