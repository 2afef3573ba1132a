"""RSS and Atom feeds of the public reports, filtered like the page (?category=, ?region=, ?status=).
Only what the public page shows: the verified public title, category, region, status and response."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sibaru.complaints import selectors
from sibaru.complaints.forms import PublicFilterForm


class ReportsFeed(Feed):
    def get_object(self, request):
        form = PublicFilterForm(request.GET, status_choices=selectors.public_status_choices())
        if not form.is_valid():
            raise Http404
        self.query = request.GET.urlencode()
        return selectors.PublicFilters(**form.cleaned_data)

    def title(self, filters):
        return _("Laporan pengaduan SIBARU")

    def link(self, filters):
        return reverse("complaints:reports") + (f"?{self.query}" if self.query else "")

    def description(self, filters):
        return _("Pengaduan dan aspirasi yang sudah diverifikasi, dengan status dan tanggapannya.")

    def items(self, filters):
        return selectors.public_reports(filters, limit=50).items

    def item_title(self, item):
        return item.public_title

    def item_description(self, item):
        parts = [f"{item.category.name} · {item.case.region.name if item.case.region_id else ''} · "
                 f"{selectors.status_label(item)}"]
        if item.response:
            parts.append(item.response)
        return "\n\n".join(parts)

    def item_link(self, item):
        return reverse("portal:track_case", args=[item.case.tracking_code])

    def item_guid(self, item):
        return item.case.tracking_code

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.case.submitted_at

    def item_categories(self, item):
        return [item.category.name]


class ReportsAtomFeed(ReportsFeed):
    feed_type = Atom1Feed
    subtitle = ReportsFeed.description
