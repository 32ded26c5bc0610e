# Address blocks and their samples.
profile "Bad block"

block host-bits = 17.0.0.1/8
block too-long = 17.0.0.0/33
block six-too-long = 2001:db8::/129
block no-prefix = 17.0.0.0
block leading-zero = 17.0.0.0/08
block sample-zero = 17.0.0.0/8 sample 0
block sample-big = 17.0.0.0/8 sample 1000
block no-equals 17.0.0.0/8
block bad.name = 17.0.0.0/8
