/**
 * The shipped line controls (policies/default/linecontrols.json, kept equal by a test): freeze drawdowns while
 * any instalment is past due, cut the limit to the outstanding from M3, close the line in M7; unfreeze on
 * cure. Used for a line whose products' published policies carry no `lineControls` graph.
 */
export const DEFAULT_LINE_CONTROLS = {
  contentType: 'application/vnd.gorules.decision',
  nodes: [
    {
      id: 'request',
      type: 'inputNode',
      name: 'Request',
      position: {
        x: 0,
        y: 100,
      },
    },
    {
      id: 'lineControls',
      type: 'decisionTableNode',
      name: 'Line controls',
      position: {
        x: 300,
        y: 100,
      },
      content: {
        hitPolicy: 'first',
        inputs: [
          {
            id: 'in1',
            name: 'Worst bucket rank (0 = M0 … 7 = M7)',
            field: 'worstBucketRank',
          },
          {
            id: 'in2',
            name: 'Max days past due',
            field: 'maxDaysPastDue',
          },
        ],
        outputs: [
          {
            id: 'out1',
            name: 'Action',
            field: 'action',
          },
          {
            id: 'out2',
            name: 'Code',
            field: 'code',
          },
          {
            id: 'out3',
            name: 'Reason',
            field: 'reason',
          },
        ],
        rules: [
          {
            _id: 'lc-1',
            in1: '>= 7',
            in2: '',
            out1: '"close"',
            out2: '"LC_M7_CLOSE"',
            out3: '"a loan on the line is in M7 (over 180 days past due): the line is closed"',
          },
          {
            _id: 'lc-2',
            in1: '>= 3',
            in2: '',
            out1: '"cut"',
            out2: '"LC_M3_CUT"',
            out3: '"a loan on the line is in M3 or worse (61+ days past due): the limit is cut to the outstanding and drawdowns are frozen until every past-due instalment is repaid"',
          },
          {
            _id: 'lc-3',
            in1: '',
            in2: '> 0',
            out1: '"freeze"',
            out2: '"LC_PAST_DUE_FREEZE"',
            out3: '"an instalment on the line is past due: drawdowns are frozen until every past-due instalment is repaid"',
          },
          {
            _id: 'lc-4',
            in1: '',
            in2: '',
            out1: '"none"',
            out2: '"LC_CURRENT"',
            out3: '"no instalment on the line is past due"',
          },
        ],
      },
    },
    {
      id: 'response',
      type: 'outputNode',
      name: 'Response',
      position: {
        x: 600,
        y: 100,
      },
    },
  ],
  edges: [
    {
      id: 'e1',
      sourceId: 'request',
      targetId: 'lineControls',
      type: 'edge',
    },
    {
      id: 'e2',
      sourceId: 'lineControls',
      targetId: 'response',
      type: 'edge',
    },
  ],
} as const;
