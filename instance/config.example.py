# Copy to instance/config.py (or let `make run` write one) and keep it private.
# Every setting may also come from the environment as HLHR_<NAME>.

# A long random string; the site refuses to start in production without one.
SECRET_KEY = "change-me"

# SITE_NAME = "HLHR.org"
# SITE_TAGLINE = "Human rights news, research and action"
# SITE_TIMEZONE = "Europe/Geneva"          # dates are shown and entered in this zone
# SITE_URL = "https://hlhr.example"        # canonical links
# POSTS_PER_PAGE = 10
# CHROME_CACHE_SECONDS = 30                 # menu and sidebar cache per process

# SQLite in instance/ by default; PostgreSQL for several servers:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://hlhr:secret@127.0.0.1/hlhr"

# SESSION_COOKIE_SECURE = True              # when the site is served over HTTPS
