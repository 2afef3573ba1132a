from django.conf import settings


def site(request):
    return {
        "MINISTRY_NAME": settings.MINISTRY_NAME,
        "MINISTRY_UNIT": settings.MINISTRY_UNIT,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CONTACT_PHONE": settings.CONTACT_PHONE,
        "DEMO": settings.DEMO,
        "TRIAL_SERVICE": settings.TRIAL_SERVICE,
        "SOCIAL_LINKS": settings.SOCIAL_LINKS,
    }
