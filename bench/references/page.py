"""Reference pages of the forum figures: the cheapest Django pages of forum
size, 20 pre-rendered posts from memory in the platform's base template.

- `reference_page`: no database, no session (the load generator sends it no
  cookie), no context processors: what Django and the server cost at least.
- `shell_page`: the same page for a signed-in member, as every page of the
  platform is served: the same middleware, the session, the user, the header
  (notification count, moderation link, language form with its CSRF token)
  and no thread. The thread page's ratio to it is the cost of the thread
  itself.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

HTML = "<p>" + "Ein Beitrag über Bürgerbusse im ländlichen Raum. " * 8 + "</p>"
POSTS = "".join(f'<li class="post"><div>{HTML}</div></li>' for _ in range(20))


def _with_posts(response: HttpResponse) -> HttpResponse:
    response.content = response.content.replace(
        b"</main>", f"<ol>{POSTS}</ol></main>".encode()
    )
    return response


def reference_page(request):
    page = render_to_string("base.html", {"request": request})
    return HttpResponse(page.replace("</main>", f"<ol>{POSTS}</ol></main>"))


@login_required
def shell_page(request):
    return _with_posts(render(request, "base.html"))
