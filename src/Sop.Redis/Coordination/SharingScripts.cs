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
    /// Publishes one commit and releases the owner's locks (KEYS[8..]; whatever the answer, the owner's locks go).
    /// Returns the commit's sequence; -1 when the token is not the one the locks were taken under; -2 when the slot's
    /// mark (KEYS[6]) already covers this log sequence (a retried call whose first attempt landed); -3 when the commit
    /// is refused: one of its locks ran out and another owner holds it, or a node it changes is already at its version
    /// or beyond (someone committed over it meanwhile). A refused commit is recorded in KEYS[7] as "slot:sequence",
    /// so that recovery never redoes it. The checks keep the latest fields from ever going backwards.
    /// </summary>
    /// <remarks>
    /// ARGV: token, owner, slot, log sequence, entry, feed length, number of latest fields, their keys and values
    /// alternating, number of dropped store ids, the ids. A handle field's key starts with 'H' (72); its value is the
    /// 64-byte registry record, whose version is the little-endian u32 at byte 49 (1-based).
    /// </remarks>
    public const string PublishAndUnlock = """
        local answer = 0
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then answer = -1
        elseif tonumber(ARGV[4]) <= tonumber(redis.call('HGET', KEYS[6], ARGV[3]) or '0') then answer = -2
        else
          local lapsed = false
          for i = 8, #KEYS do
            local holder = redis.call('GET', KEYS[i])
            if holder ~= ARGV[2] then
              if holder then answer = -3 else lapsed = true end
            end
          end
          if answer == 0 and lapsed then
            local at = 8
            for i = 1, tonumber(ARGV[7]) do
              local k, v = ARGV[at], ARGV[at + 1]
              if string.byte(k, 1) == 72 then
                local now = redis.call('HGET', KEYS[4], k)
                if now and struct.unpack('<I4', now, 49) >= struct.unpack('<I4', v, 49) then answer = -3 end
              end
              at = at + 2
            end
          end
        end
        for i = 8, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[2] then redis.call('DEL', KEYS[i]) end
        end
        if answer == -3 then redis.call('SADD', KEYS[7], ARGV[3] .. ':' .. ARGV[4]) end
        if answer ~= 0 then return answer end
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
        redis.call('HSET', KEYS[6], ARGV[3], ARGV[4])
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], s .. '-1', 'e', ARGV[5])
        return s
        """;

    /// <summary>The token (false when there is none), every slot's mark and the refused commits; KEYS: token, slot marks, refused.</summary>
    public const string SlotMarks = """
        return {redis.call('GET', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3])}
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
