import argparse

def positive(s):
    n = int(s)
    if n <= 0:
        raise argparse.ArgumentTypeError('%r is not a positive number' % s)
    return n

parser = argparse.ArgumentParser(prog='kafka-tool', formatter_class=argparse.ArgumentDefaultsHelpFormatter)
parser.add_argument('--bootstrap-servers', '--brokers', dest='servers', metavar='HOST:PORT', nargs='+', default=['localhost:9092'], help='the Kafka brokers to contact first, as a list of host and port pairs separated by spaces')
parser.add_argument('--timeout-ms', type=positive, default=1000, help='how long to wait')
parser.add_argument('--client-id', required=True)
sub = parser.add_subparsers(dest='command', required=True, help='what to do')
p = sub.add_parser('produce', help='send records', aliases=['p'])
p.add_argument('topic')
p.add_argument('value', nargs='?', default='x')
p.add_argument('--partition', type=int, choices=range(3))
c = sub.add_parser('consume', help='read records from a topic until it is idle for a while')
c.add_argument('topics', nargs='+')
c.add_argument('--group', '-g')
c.add_argument('--from-beginning', action='store_true')
c.add_argument('--max', nargs=2, type=int, metavar=('LOW', 'HIGH'))
ns, extra = parser.parse_known_args()
print(ns, extra)
