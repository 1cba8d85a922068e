# Sourced by .ci/run: start a throwaway PostgreSQL on loopback and export TEST_POSTGRES_URL (storage work fills this in).
:
