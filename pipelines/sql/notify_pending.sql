-- Messages whose latest delivery to one channel ($channel) failed after $since (UTC): the next
-- run sends them again, so a failed delivery is retried, not lost.
with latest as (
    select
        message_key,
        kind,
        title,
        content,
        run_id,
        success,
        attempted_at
    from monitoring.notification_deliveries
    where channel = $channel
    qualify row_number() over (partition by message_key order by attempted_at desc) = 1
)

select
    message_key,
    kind,
    title,
    content,
    run_id
from latest
where not success and attempted_at > $since
order by attempted_at
