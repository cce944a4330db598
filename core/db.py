"""Query helpers shared by the selectors."""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


class SubqueryCount(Subquery):
    """`(SELECT COUNT(…) FROM …)`: the count of a queryset as a scalar subquery, so that several
    counts travel in one query. With `distinct`, the count of the distinct values of `expression`."""

    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, expression=None, *, distinct: bool = False):
        template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
        count = Func(
            expression if expression is not None else F("pk"), template=template, output_field=IntegerField()
        )
        # A Func is not an aggregate for the ORM: no GROUP BY, one row whatever the rows counted.
        super().__init__(queryset.order_by().annotate(n=count).values("n"))
