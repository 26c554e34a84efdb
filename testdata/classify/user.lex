# a user lexicon in cx format: WORD VALUE [EMOTION]
绝了 +2 joy
拉胯 -2 disappointment
贼 x2
甭 neg
