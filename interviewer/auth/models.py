"""Teams (the tenants) and the users who sign in to them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from interviewer.auth import passwords
from interviewer.db import Base, TimestampMixin, str_enum, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Team(TimestampMixin, Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Used in public URLs such as ``/careers/<slug>/...``.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Upper bound on the total interview time of one plan.
    max_plan_minutes: Mapped[int] = mapped_column(default=360)
    #: Admins and hiring managers must sign in with a second factor (TOTP).
    two_factor_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Interviewers of a screen stage see a pseudonym, not the candidate's name and contact
    #: details (``candidates.blind``).
    blind_first_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: How long a candidate's identity is kept after their last application closed; then
    #: the candidate is anonymised.
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    #: The privacy notice candidates agree to when they apply; empty: the standard one.
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    #: Bumped each time the notice's text changes; a consent records the version it saw.
    privacy_notice_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: The voluntary self-identification questions the apply form asks, by key, comma
    #: separated (``gender,veteran``); empty: none.
    self_identification_questions: Mapped[str] = mapped_column(String(200), default="")
    #: The name candidates read on the careers pages, the portal and emails; ``None``: ``name``.
    display_name: Mapped[str | None] = mapped_column(String(120))
    #: The brand's accent colour as ``#rrggbb`` (checked for contrast); ``None``: the default.
    accent_color: Mapped[str | None] = mapped_column(String(7))
    #: The training path of an interviewer pool: interviews watched as a shadow, then led
    #: under a qualified interviewer's eye (reverse shadow), before the trainee qualifies.
    shadow_interviews: Mapped[int] = mapped_column(default=2, server_default="2")
    reverse_shadow_interviews: Mapped[int] = mapped_column(default=2, server_default="2")
    #: Shortest gap between two interviews of one interviewer (0: back to back is fine).
    min_break_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    #: A meeting link with a fresh unguessable room per interview (``https://meet.jit.si/``);
    #: empty: no automatic video rooms.
    video_link_base: Mapped[str] = mapped_column(String(300), default="")
    #: How long interview times offered on the portal stay held for the candidate.
    booking_offer_hours: Mapped[int] = mapped_column(default=72, server_default="72")

    users: Mapped[list[User]] = relationship(back_populates="team", passive_deletes=True)

    __table_args__ = (
        CheckConstraint("max_plan_minutes > 0", name="max_plan_minutes_positive"),
        CheckConstraint("retention_months > 0", name="retention_months_positive"),
    )

    def __repr__(self) -> str:
        return f"<Team {self.slug}>"

    @property
    def public_name(self) -> str:
        """The name the team shows candidates: its display name, else its name."""
        return (self.display_name or "").strip() or self.name


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    #: Sign-in name; stored lower-case so that look-ups are exact.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.INTERVIEWER)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Most interviews this person takes in one week; ``None`` means no limit.
    weekly_interview_limit: Mapped[int | None]
    #: Most interviews this person takes in one day (in their zone); ``None``: no limit.
    daily_interview_limit: Mapped[int | None]
    #: This person's own meeting link, used for their interviews instead of a fresh room.
    video_link: Mapped[str] = mapped_column(String(500), default="")
    #: Secret of the private calendar feed URL; regenerated to revoke the old one.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_sign_in_at: Mapped[datetime | None]
    #: The TOTP secret (base32): set when setup starts, in use once ``totp_enabled_at`` is.
    #: Never exported: an imported user sets two-factor sign-in up again.
    totp_secret: Mapped[str | None] = mapped_column(String(64), info={"secret": True})
    totp_enabled_at: Mapped[datetime | None]
    #: The last TOTP time step accepted: a code of that step or an earlier one is refused,
    #: so a code seen over someone's shoulder cannot be used again.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    team: Mapped[Team] = relationship(back_populates="users")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(
            "weekly_interview_limit IS NULL OR weekly_interview_limit >= 0",
            name="weekly_interview_limit_not_negative",
        ),
        CheckConstraint(
            "daily_interview_limit IS NULL OR daily_interview_limit >= 0",
            name="daily_interview_limit_not_negative",
        ),
    )

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def set_password(self, password: str) -> None:
        """Store a hash of ``password`` made with today's method and cost."""
        self.password_hash = passwords.hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_manager(self) -> bool:
        """Admins and hiring managers plan, schedule and decide."""
        return self.role in (Role.ADMIN, Role.HIRING_MANAGER)

    def touch_sign_in(self) -> None:
        self.last_sign_in_at = utcnow()

    @property
    def has_two_factor(self) -> bool:
        """Whether signing in asks for a TOTP code after the password."""
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def must_set_up_two_factor(self) -> bool:
        """Whether the team requires a second factor of this person and they have none yet."""
        return self.is_manager and not self.has_two_factor and self.team.two_factor_required


class UserSession(Base):
    """One signed-in browser: the session cookie names it by a secret whose hash is kept here,
    so signing out, a password change or an admin can end it on the server side."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the secret in the cookie; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The absolute end of the session, however active it is.
    expires_at: Mapped[datetime]
    #: "Keep me signed in": the cookie outlives the browser and no idle timeout applies.
    remember: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"

    @property
    def browser(self) -> str:
        """The browser and system in words, such as "Firefox on Windows", from the user agent."""
        agent = self.user_agent
        name = next((label for token, label in _BROWSERS if token in agent), "A browser")
        system = next((label for token, label in _SYSTEMS if token in agent), "")
        return f"{name} on {system}" if system else name


#: User-agent tokens and the browser they tell, the most specific first (Edge says Chrome too).
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


class RecoveryCode(Base):
    """A one-time code that signs in instead of a TOTP code (a lost phone); only its hash is
    kept, and it is used at most once."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the code; the code has 80 random bits, so no slow hash is needed.
    code_hash: Mapped[str] = mapped_column(String(64), info={"secret": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} of user {self.user_id}>"
