# argparse corners: nargs forms, constants, abbreviations, negative
# numbers, grouped short flags, groups, set_defaults, explicit args lists.
import argparse
import sys

parser = argparse.ArgumentParser(
    prog='a-rather-long-program-name-for-wrapping',
    description='''%(prog)s shows the corners.
    This text is refilled to the width.''',
    formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument('-x', action='store_true')
parser.add_argument('-y', action='store_const', const=42)
parser.add_argument('-z', type=int)
parser.add_argument('--pair', nargs=2, metavar=('K', 'V'))
parser.add_argument('--opt', nargs='?', const='c', default='d')
parser.add_argument('--tag', action='append_const', const='t', dest='tags')
parser.add_argument('--add', action='extend', nargs='+', type=int)
parser.add_argument('--verbose-mode', action='store_true')
parser.add_argument('--verbose-level', type=int, default=0)
conn = parser.add_argument_group('connection', 'How to reach the brokers.')
conn.add_argument('--host', default='localhost', help='the broker host name or address to connect to when starting up')
conn.add_argument('--port', type=int, default=9092)
mode = parser.add_mutually_exclusive_group(required=True)
mode.add_argument('--read', action='store_true')
mode.add_argument('--write', action='store_true')
parser.add_argument('numbers', nargs='*', type=float)
parser.add_argument('rest', nargs=argparse.REMAINDER)
parser.set_defaults(mode='auto', numbers=[0.0])

if len(sys.argv) > 1 and sys.argv[1] == 'api':
    ns = parser.parse_args(['--read', '-xy', '-z5', '1', '-2.5'])
    print(ns)
    print(ns.x, ns.mode, ns.numbers, ns.rest, ns == argparse.Namespace(x=True), ns == ns)
    ns.extra = 'set'
    print(ns.extra, argparse.Namespace(a=1, b='two'))
    print(repr(parser.format_usage()))
    print(parser.get_default('port'), parser.get_default('mode'), parser.prog)
    parser.print_usage()
    parser.exit(3, 'bye\n')
print(parser.parse_args())
