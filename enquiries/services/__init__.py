"""Every write to the domain goes through a function in this package (views, admin,
commands and tasks all call the same ones); reads live in enquiries.selectors."""
