using Sluice.Metadata;

namespace Sluice.Orchestration.Runtime;

public sealed partial class SchedulerLoop
{
    private readonly Wake _leaseReleased = new();
    private Term? _term;
    private DateTimeOffset _warmedAt = DateTimeOffset.MinValue;

    /// <summary>True while this scheduler holds the lease and its local deadline has not passed.</summary>
    public bool IsActive => _term is { IsOver: false };

    /// <summary>
    /// Renews the lease about every <see cref="OrchestrationOptions.LeaseRenewEvery"/> while active. A standby tries
    /// every <see cref="OrchestrationOptions.StandbyPoll"/>, and sooner when the holder's lease runs out before that
    /// (the refused try says when), or at once when the holder releases it on shutdown (a
    /// notification): a takeover after a kill -9 comes a few tens of milliseconds after the lease expired.
    /// </summary>
    private async Task KeepLeaseAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = options.LeaseRenewEvery;
            try
            {
                var (term, heldUntil) = await TryLeaseAsync(cancellationToken);
                if (term is null)
                {
                    await WarmUpAsync(cancellationToken);
                    // Counted from when the try was sent, not from when its answer came back: on a saturated machine
                    // the round trip (and the warm-up) can take hundreds of milliseconds, which would add to the takeover.
                    var untilExpiry = heldUntil + StandbyMargin - time.GetUtcNow();
                    wait = untilExpiry < options.StandbyPoll ? (untilExpiry > TimeSpan.Zero ? untilExpiry : TimeSpan.Zero) : options.StandbyPoll;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The term ends by itself at its deadline if this keeps failing; nothing else to do here.
                options.Log($"scheduler {Id} could not renew the lease: {ex.Message}", null);
                wait = IsActive ? options.LeaseRenewEvery : options.StandbyPoll;
            }

            try
            {
                if (IsActive)
                    await Task.Delay(wait, time, cancellationToken);
                else
                    await _leaseReleased.WaitAsync(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How long after the holder's lease runs out a standby tries: a little late rather than a wasted early try.</summary>
    private static readonly TimeSpan StandbyMargin = TimeSpan.FromMilliseconds(15);

    /// <summary>
    /// While standing by, parses the current DAG versions into the catalog now and then, so a takeover does not start
    /// with a first pass that parses every DAG (and compiles the code that does it).
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _warmedAt < TimeSpan.FromSeconds(30))
            return;
        _warmedAt = now;
        try
        {
            foreach (var dag in await store.Dags.ListAsync(cancellationToken))
                await catalog.GetAsync(dag.Name, dag.CurrentVersion, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A DAG that does not parse is reported by the active scheduler's passes; warming up is best effort.
        }
    }

    /// <summary>Takes or renews the lease; the current term (a new one when the token changed), or null when standby.</summary>
    private async Task<Term?> RenewAsync(CancellationToken cancellationToken) => (await TryLeaseAsync(cancellationToken)).Term;

    /// <summary>Takes or renews the lease; when another scheduler holds it, also when its lease runs out (on this clock).</summary>
    private async Task<(Term? Term, DateTimeOffset HeldUntil)> TryLeaseAsync(CancellationToken cancellationToken)
    {
        // The deadline counts from before the request: the lease's expiry is set later, on the store's side.
        var sentAt = time.GetUtcNow();
        var wasActive = IsActive;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A renewal that comes back after the local deadline is useless; a standby's try may take as long as it needs.
        bounded.CancelAfter(wasActive ? options.ActFor : options.LeaseDuration);
        var attempt = await store.Lease.AcquireAsync(Id, options.LeaseDuration, bounded.Token);
        var grant = attempt.Grant;
        var term = _term;
        if (grant is null)
        {
            if (term is not null)
                EndTerm(term, lost: true);
            // The store compared the lease with the time sent along with the try, which is about sentAt.
            return (null, sentAt + attempt.HeldFor);
        }

        var deadline = sentAt + options.ActFor;
        if (term is { IsOver: false } && term.Token == grant.Token && term.Extend(deadline, time))
            return (term, sentAt);
        if (term is not null)
            EndTerm(term, lost: term.Token != grant.Token);
        var fresh = new Term(grant.Token, deadline, time);
        fresh.Over.Register(() => EndTerm(fresh, lost: true));
        _term = fresh;
        options.Status($"scheduler {Id} is active (token {grant.Token})");
        signals.Scheduler.Signal();
        return (fresh, sentAt);
    }

    private void EndTerm(Term term, bool lost)
    {
        if (!term.End())
            return;
        Interlocked.CompareExchange(ref _term, null, term);
        if (lost)
            options.Status($"scheduler {Id} lost the lease");
    }

    /// <summary>
    /// One stretch of holding the lease with one token. It is over at its local deadline (a timer cancels
    /// <see cref="Over"/>, which stops every store call of the pass), when a renewal is refused, or at shutdown.
    /// </summary>
    private sealed class Term
    {
        private readonly CancellationTokenSource _over;
        private readonly Lock _lock = new();
        private DateTimeOffset _deadline;
        private int _ended;

        public Term(long token, DateTimeOffset deadline, TimeProvider time)
        {
            Token = token;
            _deadline = deadline;
            _over = new CancellationTokenSource(Max(deadline - time.GetUtcNow()), time);
            Time = time;
        }

        public long Token { get; }
        public CancellationToken Over => _over.Token;
        public bool IsOver => Volatile.Read(ref _ended) == 1 || _over.IsCancellationRequested || Time.GetUtcNow() >= Deadline;
        private TimeProvider Time { get; }

        private DateTimeOffset Deadline
        {
            get { lock (_lock) return _deadline; }
        }

        /// <summary>Moves the deadline on after a renewal; false when the term already ended.</summary>
        public bool Extend(DateTimeOffset deadline, TimeProvider time)
        {
            lock (_lock)
            {
                if (IsOverUnlocked(time))
                    return false;
                _deadline = deadline;
                _over.CancelAfter(Max(deadline - time.GetUtcNow()));
                return true;
            }
        }

        /// <summary>The token for a write, after checking the local deadline: a scheduler that cannot prove it still holds the lease does not write.</summary>
        public long Fence() => IsOver ? throw new LeaseLostException(Token) : Token;

        /// <summary>True the first time only.</summary>
        public bool End()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1)
                return false;
            try
            {
                _over.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            return true;
        }

        private bool IsOverUnlocked(TimeProvider time) => Volatile.Read(ref _ended) == 1 || _over.IsCancellationRequested || time.GetUtcNow() >= _deadline;

        private static TimeSpan Max(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.FromTicks(1);
    }
}
