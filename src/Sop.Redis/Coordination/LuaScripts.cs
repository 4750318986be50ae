namespace Sop.Redis.Coordination;

/// <summary>
/// The server-side halves of the coordinator: each runs atomically in one round trip. KEYS[1] is always the
/// not-restarted token where the script checks it; -1 means "the token is not the one you hold".
/// </summary>
internal static class LuaScripts
{
    /// <summary>All or nothing: KEYS[2..] free or already the owner's → all set (PX lifetime); else 0, nothing taken.</summary>
    /// <remarks>ARGV: token, owner, lifetime in ms.</remarks>
    public const string Lock = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        for i = 2, #KEYS do
          local v = redis.call('GET', KEYS[i])
          if v and v ~= ARGV[2] then return 0 end
        end
        for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// Point B: the first ARGV[4] keys after the token are still the owner's (their lifetime restarts), and none of the
    /// rest is held by someone else.
    /// </summary>
    /// <remarks>ARGV: token, owner, lifetime in ms, number of held keys.</remarks>
    public const string Validate = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        local held = tonumber(ARGV[4])
        for i = 2, held + 1 do
          if redis.call('GET', KEYS[i]) ~= ARGV[2] then return 0 end
        end
        for i = held + 2, #KEYS do
          local v = redis.call('GET', KEYS[i])
          if v and v ~= ARGV[2] then return 0 end
        end
        for i = 2, held + 1 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
        return 1
        """;

    /// <summary>Compare-and-delete: only the owner's keys go. KEYS are the locks (no token); ARGV: owner.</summary>
    public const string Unlock = """
        local n = 0
        for i = 1, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[1] then
            redis.call('DEL', KEYS[i])
            n = n + 1
          end
        end
        return n
        """;

    /// <summary>The first of the given keys held by someone other than ARGV[1] (nil when none): the lock-wait poll.</summary>
    public const string FirstHeldByOther = """
        for i = 1, #KEYS do
          local v = redis.call('GET', KEYS[i])
          if v and v ~= ARGV[1] then return KEYS[i] end
        end
        return false
        """;

    /// <summary>
    /// Joins the token: checks the folder incarnation (KEYS[2]), then returns {'token', value} (sliding its TTL), or
    /// creates it when allowed, else {'missing', ''}; {'incarnation', other} on an identity clash.
    /// </summary>
    /// <remarks>ARGV: candidate token, TTL in ms, incarnation, "1" when the caller may create the token.</remarks>
    public const string JoinToken = """
        local inc = redis.call('GET', KEYS[2])
        if inc and inc ~= ARGV[3] then return {'incarnation', inc} end
        redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
        local t = redis.call('GET', KEYS[1])
        if t then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {'token', t}
        end
        if ARGV[4] == '1' then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return {'token', ARGV[1]}
        end
        return {'missing', ''}
        """;

    /// <summary>Slides the token's (and incarnation's) TTL when it is still the caller's: 1; -1 otherwise.</summary>
    /// <remarks>ARGV: token, TTL in ms.</remarks>
    public const string RefreshToken = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return 1
        """;
}
