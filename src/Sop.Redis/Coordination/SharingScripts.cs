namespace Sop.Redis.Coordination;

/// <summary>
/// The server-side halves of multi-host mode (decisions.md 17), each atomic in one round trip. Common KEYS prefix:
/// token, sequence, feed, latest fields, dropped stores. A catch-up answer is <c>{seq}</c> (nothing new),
/// <c>{seq, 'feed', e1, e2, ...}</c> (entries after the caller's sequence) or <c>{seq, 'whole', {k1, v1, ...}, {d1, ...}}</c>;
/// <c>{-1}</c> means the token is not the caller's.
/// </summary>
internal static class SharingScripts
{
    /// <summary>
    /// catch_up(seen, floor, same): raises the sequence to the floor, then answers from the feed when it still reaches
    /// back to <c>seen</c> in the same generation, else with the whole state.
    /// </summary>
    private const string CatchUpFunction = """
        local function catch_up(seen, floor, same)
          local s = tonumber(redis.call('GET', KEYS[2]) or '0')
          if s < floor then
            redis.call('SET', KEYS[2], floor)
            s = floor
          end
          if same and seen >= 0 then
            if seen >= s then return {s} end
            local entries = redis.call('XRANGE', KEYS[3], '(' .. seen .. '-1', '+')
            if #entries > 0 and entries[1][1] == (seen + 1) .. '-1' then
              local out = {s, 'feed'}
              for i = 1, #entries do out[#out + 1] = entries[i][2][2] end
              return out
            end
          end
          return {s, 'whole', redis.call('HGETALL', KEYS[4]), redis.call('SMEMBERS', KEYS[5])}
        end
        """;

    /// <summary>ARGV: token, caller's generation, seen, floor.</summary>
    public const string CatchUp = CatchUpFunction + "\n" + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
        return catch_up(tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[2] == ARGV[1])
        """;

    /// <summary>
    /// Point B and a catch-up: <c>{1 or 0, catch-up answer...}</c>. KEYS[6..] are the held locks (ARGV[4] of them, their
    /// lifetime restarts) and then the read-only ones (held by nobody else).
    /// </summary>
    /// <remarks>ARGV: token, owner, lifetime in ms, number of held keys, caller's generation, seen, floor.</remarks>
    public const string ValidateAndCatchUp = CatchUpFunction + "\n" + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
        local held = tonumber(ARGV[4])
        local valid = 1
        for i = 6, held + 5 do
          if redis.call('GET', KEYS[i]) ~= ARGV[2] then valid = 0 end
        end
        for i = held + 6, #KEYS do
          local v = redis.call('GET', KEYS[i])
          if v and v ~= ARGV[2] then valid = 0 end
        end
        if valid == 1 then
          for i = 6, held + 5 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
        end
        local r = catch_up(tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[5] == ARGV[1])
        table.insert(r, 1, valid)
        return r
        """;

    /// <summary>
    /// Publishes one commit and releases the owner's locks (KEYS[7..]; released even when the token changed, the
    /// commit being durable either way). Returns the commit's sequence, or -1 when the token is not the caller's.
    /// KEYS[6] holds the slot marks.
    /// </summary>
    /// <remarks>
    /// ARGV: token, owner, slot, log sequence, entry, feed length, number of latest fields, their keys and values
    /// alternating, number of dropped store ids, the ids.
    /// </remarks>
    public const string PublishAndUnlock = """
        for i = 7, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[2] then redis.call('DEL', KEYS[i]) end
        end
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
        local s = redis.call('INCR', KEYS[2])
        local at = 8
        for i = 1, tonumber(ARGV[7]) do
          redis.call('HSET', KEYS[4], ARGV[at], ARGV[at + 1])
          at = at + 2
        end
        local drops = tonumber(ARGV[at])
        at = at + 1
        for i = 1, drops do
          redis.call('SADD', KEYS[5], ARGV[at])
          at = at + 1
        end
        local mark = tonumber(redis.call('HGET', KEYS[6], ARGV[3]) or '0')
        if tonumber(ARGV[4]) > mark then redis.call('HSET', KEYS[6], ARGV[3], ARGV[4]) end
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], s .. '-1', 'e', ARGV[5])
        return s
        """;

    /// <summary>The token (false when there is none) and every slot's mark; KEYS: token, slot marks.</summary>
    public const string SlotMarks = """
        return {redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2])}
        """;

    /// <summary>
    /// Renews (or with ARGV[4] = '1' ends) an engine's lease: KEYS leases hash, readers sorted set; ARGV: engine id,
    /// oldest reader, lifetime in ms. Drops leases that ran out (Redis clock) and returns the lowest live reader
    /// sequence as a string (false when none).
    /// </summary>
    public const string RenewLease = """
        if ARGV[4] == '1' then
          redis.call('HDEL', KEYS[1], ARGV[1])
          redis.call('ZREM', KEYS[2], ARGV[1])
          return false
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[3]))
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
        local all = redis.call('HGETALL', KEYS[1])
        for i = 1, #all, 2 do
          if tonumber(all[i + 1]) < now then
            redis.call('HDEL', KEYS[1], all[i])
            redis.call('ZREM', KEYS[2], all[i])
          end
        end
        local lowest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
        if #lowest == 0 then return false end
        return lowest[2]
        """;
}
