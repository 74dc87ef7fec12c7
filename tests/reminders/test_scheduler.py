from tracker.reminders.scheduler import start_background


def test_the_sweep_runs_as_one_coalescing_job_never_twice_at_once(engine, settings):
    scheduler = start_background(engine, settings.model_copy(update={"sweep_seconds": 3600}))
    try:
        (job,) = scheduler.get_jobs()
        assert job.id == "reminder-sweep" and job.coalesce is True and job.max_instances == 1
        assert job.trigger.interval.total_seconds() == 3600 and job.next_run_time is not None
    finally:
        scheduler.shutdown(wait=True)
