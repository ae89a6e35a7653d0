package commands

import (
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"cwm-webroot/backend/cli"
	"cwm-webroot/backend/mapping"
)

func init() {
	cli.Register(cli.Command{
		Name:    "mappings",
		Usage:   "list|suggest [--json] | import --csv FILE | export --csv FILE",
		Summary: "list site product lines and their mappings or suggestions; import/export the mapping CSV",
		Run:     runMappings,
	})
}

func runMappings(inv cli.Invocation, env cli.Env) int {
	if len(inv.Args) == 0 {
		return cli.Fail(env, "usage: cwm-webroot mappings list|suggest [--json] | import --csv FILE | export --csv FILE")
	}
	sub, args := inv.Args[0], inv.Args[1:]
	fs := newFlagSet("mappings "+sub, env)
	asJSON := fs.Bool("json", false, "print JSON")
	csvPath := fs.String("csv", "", "CSV file")
	if code, ok := parseFlags(fs, "mappings "+sub, args, env); !ok {
		return code
	}
	if (sub == "import" || sub == "export") && *csvPath == "" {
		return cli.Fail(env, "mappings %s needs --csv FILE", sub)
	}
	c, code := openCommand(inv, env)
	if c == nil {
		return code
	}
	defer c.close()
	ctx, inst := c.ctx, c.inst
	svc := mapping.New(inst.Store, nil)
	switch sub {
	case "list":
		rows, err := svc.Rows(ctx)
		if err != nil {
			return cli.Fail(env, "%v", err)
		}
		if *asJSON {
			if rows == nil {
				rows = []mapping.Row{}
			}
			if err := printJSON(env.Stdout, rows); err != nil {
				return cli.Fail(env, "%v", err)
			}
			return cli.ExitOK
		}
		printRows(env, rows)
		return cli.ExitOK
	case "suggest":
		rows, err := svc.Rows(ctx)
		if err != nil {
			return cli.Fail(env, "%v", err)
		}
		suggested := []mapping.Row{}
		for _, r := range rows {
			if r.Suggestion != nil {
				suggested = append(suggested, r)
			}
		}
		if *asJSON {
			if err := printJSON(env.Stdout, suggested); err != nil {
				return cli.Fail(env, "%v", err)
			}
			return cli.ExitOK
		}
		printSuggestions(env, suggested)
		return cli.ExitOK
	case "export":
		var n int
		err := writeFileAtomic(*csvPath, func(w io.Writer) (err error) {
			n, err = svc.ExportCSV(ctx, w)
			return err
		})
		if err != nil {
			return cli.Fail(env, "writing %s: %v", *csvPath, err)
		}
		fmt.Fprintf(env.Stdout, "Exported %d mappings to %s.\n", n, *csvPath)
		return cli.ExitOK
	case "import":
		f, err := os.Open(*csvPath)
		if err != nil {
			return cli.Fail(env, "reading %s: %v", *csvPath, err)
		}
		defer f.Close()
		res, err := svc.ImportCSV(ctx, cliActor(), f)
		var ie *mapping.ImportError
		if errors.As(err, &ie) {
			fmt.Fprintf(env.Stderr, "cwm-webroot: %s was not imported; nothing was changed:\n", *csvPath)
			for _, r := range ie.Rows {
				field := ""
				if r.Field != "" {
					field = " " + r.Field + ":"
				}
				fmt.Fprintf(env.Stderr, "  line %d:%s %s\n", r.Line, field, r.Message)
			}
			return cli.ExitUsage
		}
		if err != nil {
			return cli.Fail(env, "%v", err)
		}
		fmt.Fprintf(env.Stdout, "Imported %s: %d created, %d updated, %d unchanged.\n", *csvPath, res.Created, res.Updated, res.Unchanged)
		return cli.ExitOK
	}
	return cli.Fail(env, "unknown mappings command %q: use list, suggest, import or export", sub)
}

func printSuggestions(env cli.Env, rows []mapping.Row) {
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "No suggestions: every unmapped site either has no confident match or is already mapped.")
		return
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tPRODUCT\tCOMPANY\tADDITION\tSCORE\tREASON")
	for _, r := range rows {
		p := r.Suggestion
		addition := "choose by hand"
		if p.AdditionID != 0 {
			addition = fmt.Sprintf("%s (%d) on %s (%d)", p.AdditionName, p.AdditionID, p.AgreementName, p.AgreementID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s (%d)\t%s\t%.0f%%\t%s\n", r.SiteName, r.Product, p.CompanyName, p.CompanyID, addition, p.Score*100, p.Reason)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%d suggestions. Review and accept them on the Mappings page; nothing is mapped until you do.\n", len(rows))
}

func printRows(env cli.Env, rows []mapping.Row) {
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "No sites yet: connect Webroot and refresh its sites (cwm-webroot sites).")
		return
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tPRODUCT\tSTATE\tBASIS\tCOUNT\tCOMPANY\tAGREEMENT\tADDITION")
	for _, r := range rows {
		basis, count, company, agreement, addition := "", "", "", "", ""
		if m := r.Mapping; m != nil {
			basis = m.CountBasis
			count = fmt.Sprint(r.Counts[m.CountBasis])
			company = fmt.Sprintf("%s (%d)", r.CompanyName, m.CompanyID)
			agreement = fmt.Sprintf("%s (%d)", r.AgreementName, m.AgreementID)
			addition = fmt.Sprintf("%d", m.AdditionID)
			if r.SharedCount > 0 {
				addition += fmt.Sprintf(" (+%d sites)", r.SharedCount)
			}
		}
		state := r.State
		if r.New {
			state += ", new"
		}
		if r.Problem != "" {
			state += " — " + r.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.SiteName, r.Product, state, basis, count, company, agreement, addition)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%d site product lines, %d waiting for a mapping.\n", len(rows), mapping.Unmapped(rows))
}
