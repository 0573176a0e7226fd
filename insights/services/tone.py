"""The user's coaching tone, applied to a rule's neutral wording without touching its numbers."""

from __future__ import annotations

from accounts.models import Preferences

from ..models import Insight

Tone = Preferences.Tone
Sentiment = Insight.Sentiment

# (opener, closer) per tone and sentiment. Direct means just the facts.
_PHRASES: dict[tuple[str, str], tuple[str, str]] = {
    (Tone.GENTLE, Sentiment.WARNING): ("A gentle heads-up: ", " Small steps add up."),
    (Tone.GENTLE, Sentiment.NEUTRAL): ("", ""),
    (Tone.GENTLE, Sentiment.POSITIVE): ("Nicely done. ", " You're building good habits."),
    (Tone.CHEERFUL, Sentiment.WARNING): ("Quick heads-up! ", " You've got this! 💪"),
    (Tone.CHEERFUL, Sentiment.NEUTRAL): ("Hey! ", ""),
    (Tone.CHEERFUL, Sentiment.POSITIVE): ("Woohoo! ", " Keep it up! 🎉"),
}


def tone_of(user) -> str:
    prefs = getattr(user, "preferences", None)
    return getattr(prefs, "coaching_tone", Tone.GENTLE) or Tone.GENTLE


def apply_tone(message: str, *, tone: str, sentiment: str, limit: int = Insight.MESSAGE_MAX) -> str:
    """The message with the tone's opener and closer, dropping whichever does not fit within `limit`."""
    opener, closer = _PHRASES.get((tone, sentiment), ("", ""))
    for candidate in (f"{opener}{message}{closer}", f"{opener}{message}", message):
        if len(candidate) <= limit:
            return candidate
    return message
