redis.call('SET', P .. KEYS[1], ARGV[1])
return { P .. KEYS[1], redis.call('GET', P .. KEYS[1]), LIMIT + 1 }
