package datetime

import (
	"github.com/kstar-dev/kstar/builtins/py"
)

// The proleptic Gregorian calendar, as datetime counts it: ordinal 1 is
// January 1st of year 1.

func isLeap(year int) bool { return year%4 == 0 && (year%100 != 0 || year%400 == 0) }

var daysBeforeMonthTable = [13]int{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

func daysInMonth(year, month int) int {
	if month == 2 && isLeap(year) {
		return 29
	}
	return [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
}

// daysBeforeYear counts the days of the years before year.
func daysBeforeYear(year int) int {
	y := year - 1
	return y*365 + y/4 - y/100 + y/400
}

// dayOfYear is the day of the year of a date, from 1.
func dayOfYear(year, month, day int) int {
	n := daysBeforeMonthTable[month] + day
	if month > 2 && isLeap(year) {
		n++
	}
	return n
}

// toOrdinal is the ordinal of a date.
func toOrdinal(year, month, day int) int {
	return daysBeforeYear(year) + dayOfYear(year, month, day)
}

// fromOrdinal is the date of an ordinal (≥ 1).
func fromOrdinal(n int) (year, month, day int) {
	n-- // days since January 1st of year 1
	const days400, days100, days4 = 146097, 36524, 1461
	q400, n := n/days400, n%days400
	q100, n := n/days100, n%days100
	q4, n := n/days4, n%days4
	q1, n := n/365, n%365
	year = q400*400 + q100*100 + q4*4 + q1 + 1
	if q1 == 4 || q100 == 4 { // the last day of a leap year
		return year - 1, 12, 31
	}
	month = 1
	for month < 12 && n >= dayOfYear(year, month+1, 1)-1 {
		month++
	}
	return year, month, n - (dayOfYear(year, month, 1) - 1) + 1
}

// weekday counts from Monday = 0; ordinal 1 was a Monday.
func weekday(ordinal int) int { return (ordinal + 6) % 7 }

// isoCalendar is the ISO year, week and weekday (Monday = 1) of a date.
func isoCalendar(year, month, day int) (int, int, int) {
	ord := toOrdinal(year, month, day)
	week1 := isoWeek1Monday(year)
	if ord < week1 {
		year--
		week1 = isoWeek1Monday(year)
	} else if next := isoWeek1Monday(year + 1); ord >= next {
		year++
		week1 = next
	}
	return year, (ord-week1)/7 + 1, weekday(ord) + 1
}

// isoWeek1Monday is the ordinal of the Monday of ISO week 1 of year, the
// week with the year's first Thursday.
func isoWeek1Monday(year int) int {
	first := daysBeforeYear(year) + 1
	monday := first - weekday(first)
	if weekday(first) > 3 { // Friday to Sunday: week 1 starts after them
		monday += 7
	}
	return monday
}

// checkDate raises CPython's ValueErrors for an impossible date.
func checkDate(year, month, day int) error {
	if year < minYear || year > maxYear {
		return py.Errorf(py.ValueError, "year %d is out of range", year)
	}
	if month < 1 || month > 12 {
		return py.Errorf(py.ValueError, "month must be in 1..12")
	}
	if day < 1 || day > daysInMonth(year, month) {
		return py.Errorf(py.ValueError, "day is out of range for month")
	}
	return nil
}

// checkTime raises CPython's ValueErrors for an impossible time of day.
func checkTime(hour, minute, second, micro, fold int) error {
	switch {
	case hour < 0 || hour > 23:
		return py.Errorf(py.ValueError, "hour must be in 0..23")
	case minute < 0 || minute > 59:
		return py.Errorf(py.ValueError, "minute must be in 0..59")
	case second < 0 || second > 59:
		return py.Errorf(py.ValueError, "second must be in 0..59")
	case micro < 0 || micro > 999999:
		return py.Errorf(py.ValueError, "microsecond must be in 0..999999")
	case fold != 0 && fold != 1:
		return py.Errorf(py.ValueError, "fold must be either 0 or 1")
	}
	return nil
}

// maxOrdinal is the ordinal of December 31st, 9999.
var maxOrdinal = toOrdinal(maxYear, 12, 31)

// fromISOCalendar is the date of an ISO year, week and weekday, with
// CPython's errors.
func fromISOCalendar(year, week, day int) (int, int, int, error) {
	if year < minYear || year > maxYear {
		return 0, 0, 0, py.Errorf(py.ValueError, "Year is out of range: %d", year)
	}
	if week <= 0 || week >= 53 {
		// Week 53 exists in years that start on a Thursday, or leap years
		// that start on a Wednesday.
		first := weekday(daysBeforeYear(year) + 1)
		if week != 53 || !(first == 3 || (first == 2 && isLeap(year))) {
			return 0, 0, 0, py.Errorf(py.ValueError, "Invalid week: %d", week)
		}
	}
	if day <= 0 || day >= 8 {
		return 0, 0, 0, py.Errorf(py.ValueError, "Invalid day: %d (range is [1, 7])", day)
	}
	ord := isoWeek1Monday(year) + (week-1)*7 + day - 1
	if ord < 1 || ord > maxOrdinal {
		return 0, 0, 0, py.Errorf(py.OverflowError, "date value out of range")
	}
	y, m, d := fromOrdinal(ord)
	return y, m, d, nil
}
