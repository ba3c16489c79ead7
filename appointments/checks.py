from django.conf import settings
from django.core.checks import Warning, register

# Backends that send nothing to a phone.
NOT_SENDING = {
    "sms.backends.console.SmsBackend",
    "sms.backends.filebased.SmsBackend",
    "sms.backends.locmem.SmsBackend",
    "sms.backends.dummy.SmsBackend",
}


@register(deploy=True)
def texts_reach_phones(app_configs=None, databases=None, **kwargs):
    """Patients may choose text messages: in production a provider must send them."""
    problems = []
    if settings.SMS_BACKEND in NOT_SENDING:
        problems.append(
            Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: texts to patients who chose them "
                "are not sent to their phones.",
                hint="Set SMS_BACKEND to sms.backends.twilio.SmsBackend or "
                "sms.backends.messagebird.SmsBackend, with its credentials.",
                id="appointments.W001",
            )
        )
    if not settings.DEFAULT_FROM_SMS:
        problems.append(
            Warning(
                "DEFAULT_FROM_SMS is empty: texts have no sender number.",
                id="appointments.W002",
            )
        )
    if not settings.SMS_INBOUND_SECRET:
        problems.append(
            Warning(
                "SMS_INBOUND_SECRET is empty: STOP replies cannot reach the portal.",
                hint="Set it; give the provider https://portal:SECRET@<brand host>/sms/inbound/.",
                id="appointments.W003",
            )
        )
    return problems
