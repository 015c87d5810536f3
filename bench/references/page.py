"""Reference page: the cheapest Django page of forum size. 20 pre-rendered posts
from memory into the platform's base template; no database, no session (the
load generator sends it no cookie)."""

from django.http import HttpResponse
from django.template.loader import render_to_string

HTML = "<p>" + "Ein Beitrag über Bürgerbusse im ländlichen Raum. " * 8 + "</p>"
POSTS = "".join(f'<li class="post"><div>{HTML}</div></li>' for _ in range(20))


def reference_page(request):
    page = render_to_string("base.html", {"request": request})
    return HttpResponse(page.replace("</main>", f"<ol>{POSTS}</ol></main>"))
