from . import test_drafting_jobs
from . import test_job_concurrency
