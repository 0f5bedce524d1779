/**
 * The shipped limit review (policies/default/limitreview.json, kept equal by a test): freeze below 480,
 * cut by 30% below 540, raise by 20% from 615 with at least 30% of the limit in use. Used while the
 * published policy carries no `limitReview` graph.
 */
export const DEFAULT_LIMIT_REVIEW = {
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
      id: 'limitReview',
      type: 'decisionTableNode',
      name: 'Limit review',
      position: {
        x: 300,
        y: 100,
      },
      content: {
        hitPolicy: 'first',
        inputs: [
          {
            id: 'in1',
            name: 'Behaviour score',
            field: 'score',
          },
          {
            id: 'in2',
            name: 'Utilisation (used / limit)',
            field: 'utilisation',
          },
          {
            id: 'in3',
            name: 'Line status',
            field: 'status',
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
            name: 'Limit factor',
            field: 'factor',
          },
          {
            id: 'out3',
            name: 'Code',
            field: 'code',
          },
          {
            id: 'out4',
            name: 'Reason',
            field: 'reason',
          },
        ],
        rules: [
          {
            _id: 'lr-1',
            in1: '',
            in2: '',
            in3: '!= "active"',
            out1: '"none"',
            out2: '"1"',
            out3: '"LR_NOT_ACTIVE"',
            out4: '"the line is not active: the limit review leaves it to the line controls"',
          },
          {
            _id: 'lr-2',
            in1: '< 480',
            in2: '',
            in3: '',
            out1: '"freeze"',
            out2: '"1"',
            out3: '"LR_VERY_LOW_SCORE_FREEZE"',
            out4: '"behaviour score below 480: drawdowns frozen until a review"',
          },
          {
            _id: 'lr-3',
            in1: '< 540',
            in2: '> 0',
            in3: '',
            out1: '"cut"',
            out2: '"0.7"',
            out3: '"LR_LOW_SCORE_CUT"',
            out4: '"behaviour score below 540: limit cut by 30% (never below what is drawn)"',
          },
          {
            _id: 'lr-4',
            in1: '>= 615',
            in2: '>= 0.3',
            in3: '',
            out1: '"raise"',
            out2: '"1.2"',
            out3: '"LR_HIGH_SCORE_RAISE"',
            out4: '"behaviour score 615 or more and at least 30% of the limit in use: limit raised by 20%"',
          },
          {
            _id: 'lr-5',
            in1: '',
            in2: '',
            in3: '',
            out1: '"none"',
            out2: '"1"',
            out3: '"LR_NO_CHANGE"',
            out4: '"no limit change"',
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
      targetId: 'limitReview',
      type: 'edge',
    },
    {
      id: 'e2',
      sourceId: 'limitReview',
      targetId: 'response',
      type: 'edge',
    },
  ],
} as const;
