"""QuerySets and inserts compiled to SQL once per process, for the few run on every request.

Django compiles a QuerySet to SQL each time it is evaluated, and a ``save()`` of a new row
each time too. For the small statements every signed-in request runs (her user row, an
audit entry) that compiling is most of their cost: ``User.objects.get(pk=...)`` takes about
0.4 ms of CPU, of which the SQL round trip is under 0.1 ms (measured on this project's
2-core machine). Here the ORM compiles the statement once per database alias, and each run
only swaps in its parameter and builds the instances the way Django's own ``ModelIterable``
and ``SQLInsertCompiler`` do (``Model.from_db``, the compiler's value converters,
select_related populators, ``Field.pre_save`` and ``get_db_prep_save``), so what comes back
is what the ORM would have returned.

Only for statements whose SQL does not depend on the value: a filter on one value that is
compiled as one placeholder.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.query import RelatedPopulator, get_related_populators
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)

#: Stands for the run's value while compiling: an id no table here ever reaches.
MARKER = -7_340_211_863


@dataclass(frozen=True)
class _Select:
    sql: str
    params: tuple[Any, ...]
    marked: tuple[int, ...]  # positions of the marker in params
    start: int  # the model's columns are row[start:end]
    end: int
    attnames: list[str]
    converters: dict[int, tuple[list[Any], Any]]
    populators: list[RelatedPopulator]
    annotations: dict[str, int]


class CompiledSelect(Generic[M]):
    """``build(marker)`` compiled once per alias; ``run(value)`` is that QuerySet for ``value``.

    ``build`` takes the value and returns a QuerySet of ``model`` (filters, select_related,
    annotations). Its SQL must hold the value only as a parameter (``pk=value`` does), and
    ``value`` must be of the type the column takes, as ``marker`` is (an ``int`` for an id,
    the default; a ``str`` for a text column): it is passed to the database as it is.
    ``ValueError`` at the first run if the value is not a parameter.
    """

    def __init__(
        self, model: type[M], build: Callable[[Any], QuerySet[M]], *, marker: Any = MARKER
    ) -> None:
        self._model = model
        self._build = build
        self._marker = marker
        self._compiled: dict[str, _Select] = {}

    def run(self, value: Any) -> list[M]:
        """The instances for ``value``, as ``list(build(value))`` would give them."""
        model = self._model
        alias = router.db_for_read(model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            query = self._build(self._marker)
            compiled = self._compiled.setdefault(alias, _compile(query, alias, self._marker))
        params = list(compiled.params)
        for position in compiled.marked:
            params[position] = value
        connection = connections[alias]
        with prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            obj = model.from_db(alias, compiled.attnames, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def prepared_cursor(connection: BaseDatabaseWrapper) -> Any:
    """``connection.prepared_cursor()`` where the backend has it (``practice.core.postgresql``:
    the statement is parsed and planned once per connection), else ``connection.cursor()``."""
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()


def _compile(queryset: QuerySet[Any], alias: str, marker: Any) -> _Select:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    marked = tuple(i for i, param in enumerate(params) if param == marker)
    if not marked:
        raise ValueError("The value is not a parameter of the compiled SQL.")
    select, klass_info = compiler.select, compiler.klass_info
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return _Select(
        sql=sql,
        params=tuple(params),
        marked=marked,
        start=start,
        end=end,
        attnames=[column[0].target.attname for column in select[start:end]],
        converters=compiler.get_converters([column[0] for column in select]),
        populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map),
    )


class CompiledInsert:
    """``obj.save()`` of a new row of ``model``, its INSERT compiled once per alias.

    The same values as the ORM's insert (``pre_save``, then ``get_db_prep_save`` of every
    concrete column but an auto primary key), the same ``pre_save``/``post_save`` signals,
    and the new primary key set on ``obj``. Not for models whose ``save()`` does more than
    the ORM's.
    """

    def __init__(self, model: type[Model]) -> None:
        self._model = model
        self._fields: list[Field[Any, Any]] = [
            field
            for field in model._meta.concrete_fields
            if not field.generated and field is not model._meta.auto_field
        ]
        self._sql: dict[str, tuple[str, str]] = {}

    def statement(
        self,
        obj: Model,
        *,
        using: str = "default",
        computed: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
    ) -> tuple[str, list[Any]]:
        """``obj``'s INSERT (``RETURNING`` its primary key) and its parameters, as ``save``
        sends them, without the signals and without setting anything on ``obj``: for a
        caller that runs it inside its own statement (a data-modifying ``WITH``), sparing a
        round trip. ``computed`` gives a field's value as SQL with its own parameters
        instead, e.g. ``{"summary": ("format(%s, (SELECT n FROM counted))", ["Saw %s"])}``.
        """
        connection = connections[using]
        head, tail = self._sql.get(using) or self._sql.setdefault(using, self._compile(using))
        computed = computed or {}
        values: list[str] = []
        params: list[Any] = []
        for field in self._fields:
            if field.name in computed:
                sql, more = computed[field.name]
                values.append(sql)
                params.extend(more)
            else:
                values.append("%s")
                value = field.pre_save(obj, True)
                params.append(field.get_db_prep_save(value, connection=connection))
        return f"{head}{', '.join(values)}{tail}", params

    def save(self, obj: Model, *, using: str = "default") -> None:
        model = self._model
        connection = connections[using]
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using,
                              update_fields=None)  # fmt: skip
        sql, params = self.statement(obj, using=using)
        # As Model.save_base: a failed insert inside atomic() marks it for rollback.
        with transaction.mark_for_rollback_on_error(using), prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
            if connection.features.can_return_columns_from_insert:
                obj.pk = cursor.fetchone()[0]
            else:
                opts = model._meta
                obj.pk = connection.ops.last_insert_id(cursor, opts.db_table, str(opts.pk.column))
        obj._state.adding = False
        obj._state.db = using
        signals.post_save.send(sender=model, instance=obj, created=True, update_fields=None,
                               raw=False, using=using)  # fmt: skip

    def _compile(self, using: str) -> tuple[str, str]:
        """The ORM's INSERT of one row, split around its values: ``(head, tail)``."""
        query = InsertQuery(self._model)
        query.insert_values(self._fields, [self._model()])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = [self._model._meta.pk]
        ((sql, _params),) = compiler.as_sql()
        placeholders = ", ".join(["%s"] * len(self._fields))
        head, found, tail = sql.partition(f"({placeholders})")
        if not found:  # a field with its own placeholder SQL: not supported here
            raise ValueError(f"Unexpected INSERT for {self._model.__name__}: {sql}")
        return f"{head}(", f"){tail}"
