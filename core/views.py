from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
@never_cache
def sante(request):
    """Liveness probe for the load balancer and monitoring: answers « ok » when a worker can serve
    a request. Public, no template, no database nor cache query (so it also stands as the
    baseline of bench/load.sh)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
