"""RSS 2.0 and Atom feeds of the visible publications, in the reader's language (Indonesian when the English
text is empty)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sibaru.portal.models import Publication
from sibaru.portal.selectors import FEED_SIZE
from sibaru.portal.templatetags.publications import localized


class PublicationsRss(Feed):
    link = reverse_lazy("portal:publications")

    def title(self):
        return _("Berita dan pengumuman %(unit)s") % {"unit": settings.MINISTRY_UNIT}

    def description(self):
        return _("Berita dan pengumuman terbaru dari %(ministry)s.") % {"ministry": settings.MINISTRY_NAME}

    def items(self):
        return Publication.objects.visible()[:FEED_SIZE]

    def item_title(self, item):
        return localized(item, "title")[0]

    def item_description(self, item):
        return localized(item, "summary")[0]

    def item_link(self, item):
        return reverse("portal:publication", args=[item.slug])

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [item.get_kind_display()]


class PublicationsAtom(PublicationsRss):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
